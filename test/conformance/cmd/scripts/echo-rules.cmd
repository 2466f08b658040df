@echo off
rem Microsoft Learn "echo"; ss64 "ECHO": state, empty lines, separators.
echo
echo.
echo(
echo on
echo
@echo off
echo:colon
echo a ^& b
echo "quoted & special"
