@echo off
md C:\w\test\deep
cd /d C:\w
echo x> test\a.tmp
echo x> test\deep\b.tmp
echo x> test\keep.txt
del /s /q test\*.tmp
dir /b /s test
rd test 2>&1
rd /s /q test
if not exist test echo removed
del C:\w\missing.txt 2>&1
