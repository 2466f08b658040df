# about_Comparison_Operators
2 -eq 2
2 -eq 3
1,2,3 -eq 2
"abc" -eq "abc"
"abc" -ceq "ABC"
1,2,3 -gt 1
"Windows PowerShell" -like "*shell"
"PowerShell" -notlike "*Shell"
"Sunday" -match "sun"
$Matches[0]
"book" -replace "B", "C"
"a","b","c" -contains "b"
"b" -in "a","b","c"
