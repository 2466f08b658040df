@echo off
rem Microsoft Learn "setlocal": changes are local until endlocal or the end of the script.
set outer=1
setlocal
set outer=2
set inner=3
echo inside %outer% %inner%
endlocal
echo outside %outer% [%inner%]
setlocal enabledelayedexpansion
set v=0
for %%i in (1 2 3) do set /a v+=%%i & echo !v!
endlocal & set total=%v%
echo total %total%
