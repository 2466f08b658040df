@echo off
rem Microsoft Learn "if": string comparison, /i, not, and the extended comparison operators.
if "abc"=="abc" echo 1 same
if "abc"=="ABC" echo 2 never
if /i "abc"=="ABC" echo 3 ignore case
if not "a"=="b" echo 4 not
if 2 LSS 10 echo 5 numbers compare as numbers
if "2" LSS "10" echo 6 never
if "2" GTR "10" echo 7 quoted strings compare as text
if 0x10 EQU 16 echo 8 hex
if 010 EQU 8 echo 9 octal
if abc NEQ abd echo 10 neq
