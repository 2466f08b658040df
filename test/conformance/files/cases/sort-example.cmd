@echo off
md C:\w
cd /d C:\w
echo rent> expenses.txt
echo Food>> expenses.txt
echo car>> expenses.txt
sort expenses.txt
sort /r expenses.txt
sort < expenses.txt > sorted.txt
type sorted.txt
