@echo off
rem Microsoft Learn "call": call another batch file and come back; its exit /b code is ERRORLEVEL.
> C:\t\child.cmd echo @echo child got %%1 %%2
>> C:\t\child.cmd echo @exit /b 4
call C:\t\child.cmd first second
echo back with %errorlevel%
