@echo off
md C:\w
cd /d C:\w
echo March>mar89.rpt
echo April>apr89.rpt
echo May>may89.rpt
copy /b mar89.rpt + apr89.rpt + may89.rpt Report
type Report
copy Report Report.bak
copy *.rpt C:\w\all
if exist all echo all made
