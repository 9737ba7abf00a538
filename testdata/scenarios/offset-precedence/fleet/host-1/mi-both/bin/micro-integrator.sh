#!/bin/sh
# micro-integrator.sh
# ----------------------------------------------------------------------------
#  Copyright 2018 WSO2, Inc. http://www.wso2.org
#
#  Licensed under the Apache License, Version 2.0 (the "License");
#  you may not use this file except in compliance with the License.
# ----------------------------------------------------------------------------
# Excerpt: OS detection, JAVA_HOME checks and classpath set-up trimmed.

PRG="$0"
PRGDIR=`dirname "$PRG"`
[ -z "$CARBON_HOME" ] && CARBON_HOME=`cd "$PRGDIR/.." ; pwd`

if [ -z "$JAVACMD" ] ; then
  JAVACMD="$JAVA_HOME/bin/java"
fi

# site settings: fixed offset for this node, JMX local connector pinned (JDK 17)
JAVA_OPTS="$JAVA_OPTS -DportOffset=4 -Dcom.sun.management.jmxremote.local.port=9099"

cd "$CARBON_HOME"

START_EXIT_STATUS=121
status=$START_EXIT_STATUS

if [ -z "$JVM_MEM_OPTS" ]; then
   JVM_MEM_OPTS="-Xms256m -Xmx1024m"
fi

while [ "$status" = "$START_EXIT_STATUS" ]
do
    $JAVACMD \
    -Xbootclasspath/a:"$CARBON_XBOOTCLASSPATH" \
    $JVM_MEM_OPTS \
    -XX:+HeapDumpOnOutOfMemoryError \
    -XX:HeapDumpPath="$CARBON_HOME/repository/logs/heap-dump.hprof" \
    $JAVA_OPTS \
    -Dcom.sun.management.jmxremote \
    -classpath "$CARBON_CLASSPATH" \
    -Djava.io.tmpdir="$CARBON_HOME/tmp" \
    -Dwso2.server.standalone=true \
    -Dcarbon.home="$CARBON_HOME" \
    -Dcarbon.config.dir.path="$CARBON_HOME/conf" \
    -Djava.net.preferIPv4Stack=true \
    -DenableReadinessProbe=true \
    -DenableLivenessProbe=true \
    -DenableManagementApi=true \
    $NODE_PARAMS \
    org.wso2.micro.integrator.bootstrap.Bootstrap $*
    status=$?
done
