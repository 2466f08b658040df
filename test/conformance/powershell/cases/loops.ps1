# about_Foreach, about_For, about_While, about_Do
$letterArray = 'a','b','c','d'
foreach ($letter in $letterArray)
{
  Write-Host $letter
}
for ($i = 1; $i -le 3; $i++) { "Loop $i" }
$val = 0
while ($val -ne 3)
{
    $val++
    Write-Host $val
}
$n = 0
do { $n++ } until ($n -ge 5)
$n
