#!/bin/sh
# Trimmed: only the JVM options matter here.
JAVA_OPTS="$JAVA_OPTS -Dcom.sun.management.jmxremote"
exec "$JAVA_HOME/bin/java" $JAVA_OPTS org.wso2.micro.integrator.bootstrap.Bootstrap "$@"
