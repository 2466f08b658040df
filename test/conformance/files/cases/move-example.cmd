@echo off
md C:\Data
md C:\Second_Q\Reports
echo one> C:\Data\a.xls
echo two> C:\Data\b.xls
echo three> C:\Data\c.txt
move C:\Data\*.xls C:\Second_Q\Reports\
dir /b C:\Second_Q\Reports
move C:\Data\c.txt C:\Data\d.txt
dir /b C:\Data
move C:\Data\nothing.txt C:\Data\e.txt 2>nul
echo %errorlevel%
