# about_Hash_Tables (ordered, so the order is the documented one), about_PSCustomObject
$hash = [ordered]@{ Number = 1; Shape = "Square"; Color = "Blue" }
$hash
$hash.Keys -join ","
$hash["Shape"]
$hash.Count
[pscustomobject]@{ Name = "Server01"; Role = "Web" }
