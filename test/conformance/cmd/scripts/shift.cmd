@echo off
rem Microsoft Learn "shift": arguments move down one; %* keeps them all.
call :args a b c d
goto :eof
:args
echo %1 %2
shift
echo %1 %2
shift /2
echo %1 %2 [%*]
