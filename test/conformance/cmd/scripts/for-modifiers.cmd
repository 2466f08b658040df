@echo off
rem Microsoft Learn "for": variable modifiers %~f %~d %~p %~n %~x %~z and combinations.
echo 12345678> C:\t\file.txt
for %%f in (C:\t\file.txt) do (
  echo %%~f
  echo %%~df
  echo %%~pf
  echo %%~nf
  echo %%~xf
  echo %%~zf
  echo %%~dpf
  echo %%~nxf
)
