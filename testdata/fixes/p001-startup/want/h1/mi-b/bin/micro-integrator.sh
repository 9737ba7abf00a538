#!/bin/sh
# start-up offset: wins over deployment.toml
JAVA_OPTS="$JAVA_OPTS -DportOffset=11"
exec java $JAVA_OPTS org.wso2.micro.integrator.bootstrap.Bootstrap
