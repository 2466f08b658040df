@echo off
rem Microsoft Learn "if": else must be on the same line as the parenthesised command.
set x=5
if %x%==5 (
  echo five
) else (
  echo not five
)
if %x%==6 (echo six) else echo not six
if defined x (echo defined) else (echo undefined)
if not defined nosuchvar echo nosuchvar undefined
if exist C:\Windows\ (echo Windows exists)
