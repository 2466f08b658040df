@echo off
rem Microsoft Learn "set": environment variable substitution and substrings.
set P=C:\Windows\System32;C:\Windows
echo %P:~11,6%
echo %P:~-10%
echo %P:~0,-2%
echo %P:Windows=WINNT%
echo %P:~0,2%%P:~-2%
