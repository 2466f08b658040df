@echo off
rem Microsoft Learn "pushd", "popd": the directory stack.
cd /d C:\
pushd C:\Windows
echo %CD%
pushd System32
echo %CD%
popd
echo %CD%
popd
echo %CD%
