@echo off
rem Microsoft Learn "Using command redirection operators": >, >>, <, 2>&1, handles.
echo line one> C:\t\out.txt
echo line two>> C:\t\out.txt
for /f "delims=" %%l in (C:\t\out.txt) do echo read: %%l
notacommand > C:\t\err.txt 2>&1
for /f "delims=" %%l in (C:\t\err.txt) do echo err: %%l
set /p first=< C:\t\out.txt
echo first: %first%
echo to nul > nul
