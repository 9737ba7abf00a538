@echo off
REM set JAVA_OPTS=-DportOffset=1
:: -DportOffset=2
set OFFSET=4
set CMD_LINE_ARGS=-Xbootclasspath/a:%CARBON_XBOOTCLASSPATH% ^
  -DportOffset=%OFFSET% ^
  -Dcom.sun.management.jmxremote ^
  %*
"%JAVA_HOME%\bin\java" %CMD_LINE_ARGS% org.wso2.micro.integrator.bootstrap.Bootstrap
