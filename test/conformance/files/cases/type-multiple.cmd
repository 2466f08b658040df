@echo off
md C:\w
cd /d C:\w
echo first> a.txt
echo second> b.txt
type a.txt b.txt 2>nul
type a.txt b.txt > both.txt 2>&1
type both.txt
