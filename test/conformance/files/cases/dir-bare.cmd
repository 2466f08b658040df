@echo off
md C:\w\b
cd /d C:\w
echo a> z.txt
echo b> a.log
dir /b /o
dir /b /o-n /a-d
dir /b /ad
dir /b *.txt
dir /b nothing.* 2>nul
echo %errorlevel%
