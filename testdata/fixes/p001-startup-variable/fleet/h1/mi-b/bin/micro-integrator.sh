#!/bin/sh
# start-up offset: wins over deployment.toml
OFFSET=10
JAVA_OPTS="$JAVA_OPTS -DportOffset=$OFFSET"
exec java $JAVA_OPTS org.wso2.micro.integrator.bootstrap.Bootstrap
