@echo off
md C:\w\d
cd /d C:\w
echo one> one.txt
echo two> two.txt
ren *.txt *.doc
dir /b /a-d
move one.doc d
move d e
del /q *.doc
dir /b
del nothere.doc
rd /s /q e
dir /b
echo done
