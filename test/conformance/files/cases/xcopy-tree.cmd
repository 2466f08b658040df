@echo off
md C:\w\src\sub\empty
cd /d C:\w
echo a> src\a.txt
echo b> src\sub\b.txt
xcopy src dst /s /e /i
dir /b /s dst
xcopy src\a.txt dst /y
xcopy nope.txt dst
echo %errorlevel%
