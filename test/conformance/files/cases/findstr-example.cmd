@echo off
md C:\w
cd /d C:\w
echo hello world> x.y
echo over there>> x.y
echo nothing>> x.y
findstr "hello there" x.y
findstr /c:"hello world" x.y
findstr /n /v "hello there" x.y
findstr /b /r "o.*e" x.y
findstr /m there *.y
findstr zzz x.y
echo %errorlevel%
