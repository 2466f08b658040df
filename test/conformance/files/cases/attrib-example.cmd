@echo off
md C:\w
cd /d C:\w
echo x> report.txt
attrib +r report.txt
attrib report.txt
del report.txt
del /f report.txt
if not exist report.txt echo gone
