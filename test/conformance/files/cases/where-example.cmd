@echo off
where /r C:\Windows\System32 choice.exe
where timeout
where /q nothere
echo %errorlevel%
