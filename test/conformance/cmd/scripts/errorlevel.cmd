@echo off
rem Microsoft Learn "if errorlevel", ss64 "ERRORLEVEL": greater-or-equal tests, %ERRORLEVEL%, && and ||.
cmd /c exit 2
if errorlevel 3 echo ge3
if errorlevel 2 echo ge2
if errorlevel 1 echo ge1
echo %errorlevel%
notacommand 2>nul
echo %errorlevel%
echo ok && echo success
cmd /c exit 1 || echo failure
