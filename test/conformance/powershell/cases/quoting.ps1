# about_Quoting_Rules
$i = 5
"The value of $i is $i."
'The value of $i is $i.'
"The value of $(2+3) is 5."
"The value `$i is $i."
'As they say, ''live and learn.'''
@"
For help, type "get-help"
"@
