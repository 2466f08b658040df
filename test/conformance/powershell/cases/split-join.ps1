# about_Split, about_Join
"Lastname:FirstName:Address" -split ":"
-split "red yellow blue"
"Mercury,Venus,Earth" -split ",", 2
-join ("Windows", "PowerShell", "2.0")
"Windows", "PowerShell", "2.0" -join " "
$a = "a1b2c3" -split "\d"
$a.Count
