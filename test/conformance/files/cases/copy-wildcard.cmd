@echo off
md C:\w
cd /d C:\w
echo one> a.txt
echo two> b.txt
copy *.txt *.doc
dir /b *.doc
copy a.txt C:\w\sub\ 2>&1
copy nothere.txt x.txt 2>&1
if errorlevel 1 echo failed
