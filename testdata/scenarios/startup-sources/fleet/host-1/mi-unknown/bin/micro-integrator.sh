#!/bin/sh
JAVA_OPTS="$JAVA_OPTS -DportOffset=${MI_OFFSET}"
exec java $JAVA_OPTS org.wso2.micro.integrator.bootstrap.Bootstrap "$@"
