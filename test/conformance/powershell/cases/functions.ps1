# about_Functions, about_Functions_Advanced_Parameters
function Get-Power ([int]$x, [int]$y = 2) { [math]::Pow($x, $y) }
Get-Power 5
Get-Power -x 2 -y 8
function Get-Extension {
    param ([string]$Name)
    $Name + ".ext"
}
Get-Extension -Name "file"
filter Get-Double { $_ * 2 }
1..3 | Get-Double
function Test-Switch { param([switch]$On) if ($On) { "on" } else { "off" } }
Test-Switch -On
Test-Switch
