# about_Try_Catch_Finally
try { NonsenseString } catch { "An error occurred." }
try {
    $wc = $null
    $wc.DownloadFile("x", "y")
} catch [System.Management.Automation.RuntimeException] {
    "Runtime: $($_.Exception.Message)"
} finally { "Finally." }
function Test { try { return "from try" } finally { "finally runs" } }
Test
