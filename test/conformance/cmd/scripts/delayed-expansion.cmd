@echo off
rem Microsoft Learn "set": delayed environment variable expansion example.
setlocal enabledelayedexpansion
set VAR=before
if "%VAR%" == "before" (
set VAR=after
if "!VAR!" == "after" @echo If you see this, it worked
)
set LIST=
for %%i in (one two three) do set LIST=!LIST! %%i
echo [%LIST%]
