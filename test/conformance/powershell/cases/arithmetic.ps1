# about_Arithmetic_Operators: the left operand's type decides; [int] rounds half to even.
2 + 3
2 - 3
6 * 2
7 / 2
7 % 2
"file" + 16
"abc" * 3
$a = 1,2,3
$a + 4 -join ","
[int](5/2)
[int](7/2)
