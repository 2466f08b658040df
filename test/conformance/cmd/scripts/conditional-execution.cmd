@echo off
rem ss64 "Conditional execution": & && || and parenthesised groups.
echo one & echo two
cmd /c exit 0 && echo and-after-success
cmd /c exit 1 && echo and-after-failure
cmd /c exit 1 || echo or-after-failure
cmd /c exit 0 || echo or-after-success
(cmd /c exit 1 || echo group-failed) && echo group-ok
