@echo off
rem Microsoft Learn "goto": labels, goto :eof, a counted loop.
set i=0
:loop
set /a i+=1
if %i% LSS 3 goto loop
echo looped %i% times
goto End
echo skipped
:end
echo at end
goto :eof
echo never
