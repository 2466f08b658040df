@echo off
rem Microsoft Learn "call": call :label arguments, %0 is the label, exit /b sets ERRORLEVEL.
call :add 3 4
echo result=%result% errorlevel=%errorlevel%
call :show "quoted arg" plain
goto :eof

:add
set /a result=%1+%2
exit /b 7

:show
echo %0 [%1] [%~1] [%2] [%*]
goto :eof
