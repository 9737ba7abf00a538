@echo off
REM the offset of a Windows install
set JAVA_OPTS=%JAVA_OPTS% -DportOffset=3
"%JAVA_HOME%\bin\java" %JAVA_OPTS% ^
  org.wso2.micro.integrator.bootstrap.Bootstrap %*
