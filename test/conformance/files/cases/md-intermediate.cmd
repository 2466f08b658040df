@echo off
cd /d C:\
mkdir \Taxes\Property\Current
dir /b /s \Taxes
mkdir \Taxes
echo %errorlevel%
