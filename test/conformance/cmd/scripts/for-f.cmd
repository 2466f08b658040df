@echo off
rem Microsoft Learn "for /f": eol, tokens, delims, skip; usebackq.
echo ; a comment line> C:\t\data.txt
echo alpha,beta gamma,delta>> C:\t\data.txt
echo one,two,three>> C:\t\data.txt
for /f "eol=; tokens=2,3* delims=, " %%i in (C:\t\data.txt) do echo [%%i] [%%j] [%%k]
for /f "skip=2 delims=" %%l in (C:\t\data.txt) do echo whole: %%l
for /f "tokens=*" %%s in ("   leading spaces") do echo [%%s]
for /f "usebackq tokens=2 delims==" %%v in (`set ComSpec`) do echo %%v
