@echo off
rem ss64 "Escape characters": ^ outside quotes, %% in batch files, delayed-expansion carets.
echo 100%%
echo ^<tag^> ^| pipe
echo caret ^^ and ^
continued
setlocal enabledelayedexpansion
set x=value
echo !x! ^^!x^^!
