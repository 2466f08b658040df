// The language (about_* topics): each case runs `powershell -Command` in a
// servercore container and compares every byte of its output.
import { describe, expect, it } from 'vitest';
import { run } from '../support.js';

const ps = async (cmd: string) => {
  const r = await run(['powershell', '-NoProfile', '-Command', cmd]);
  return r;
};
const lines = (...l: string[]) => l.map((x) => x + '\r\n').join('');

describe('strings (about_Quoting_Rules)', () => {
  it('double quotes expand variables and sub-expressions; single quotes do not', async () => {
    const r = await ps(`$i = 5; "The value of $i is $i."; 'The value of $i is $i.'; "The value of $(2+3) is 5."; "The value of \`$i is $i."`);
    expect(r.stdout).toBe(lines('The value of 5 is 5.', 'The value of $i is $i.', 'The value of 5 is 5.', 'The value of $i is 5.'));
  });
  it('here-strings keep their lines and expand when double-quoted', async () => {
    const r = await ps(`$x = 'v'\n@"\nA $x\n  "B"\n"@\n@'\nC $x\n'@`);
    expect(r.stdout).toBe(lines('A v', '  "B"', 'C $x'));
  });
  it('backtick escapes: `t `n and doubled quotes', async () => {
    const r = await ps('"a`tb"; "say ""hi"""; \'it\'\'s\'');
    expect(r.stdout).toBe(lines('a\tb', 'say "hi"', "it's"));
  });
  it('$env: variables read and write the process environment', async () => {
    const r = await ps('$env:GREETING = "hello"; $env:GREETING; cmd /c echo %GREETING%');
    expect(r.stdout).toBe(lines('hello', 'hello'));
  });
});

describe('operators (about_Operators)', () => {
  it('arithmetic follows the left operand', async () => {
    const r = await ps('2 + 3; 7 / 2; "file" + 16; [int](7/2); "abc" * 3; 10 % 3; (1,2) + 3');
    expect(r.stdout).toBe(lines('5', '3.5', 'file16', '4', 'abcabcabc', '1', '1', '2', '3'));
  });
  it('comparison filters collections and ignores case', async () => {
    const r = await ps('1,2,3,2 -eq 2; "ABC" -eq "abc"; "ABC" -ceq "abc"; "Windows PowerShell" -like "*shell"; 5 -gt 3');
    expect(r.stdout).toBe(lines('2', '2', 'True', 'False', 'True', 'True'));
  });
  it('-match sets $Matches; -replace uses regular expressions', async () => {
    const r = await ps('"Sunday" -match "sun(?<rest>.*)"; $Matches.rest; "book" -replace "B","C"; "a1b22" -replace "\\d+","#"');
    expect(r.stdout).toBe(lines('True', 'day', 'Cook', 'a#b#'));
  });
  it('-split and -join (about_Split, about_Join)', async () => {
    const r = await ps('"Lastname:FirstName:Address" -split ":"; -split " red  yellow "; "a,b,c" -split ",", 2; -join ("a","b"); "x","y" -join "-"');
    expect(r.stdout).toBe(lines('Lastname', 'FirstName', 'Address', 'red', 'yellow', 'a', 'b,c', 'ab', 'x-y'));
  });
  it('-contains, -in, -not, !, -and, -or, ranges', async () => {
    const r = await ps('1,2,3 -contains 2; 4 -in 1..3; -not $true; !0; $true -and $false; $false -or 1; 3..1');
    expect(r.stdout).toBe(lines('True', 'False', 'False', 'True', 'False', 'True', '3', '2', '1'));
  });
  it('-f formats like String.Format', async () => {
    const r = await ps('"{0:N2}|{1,4}|{2,-4}|{0:F1}" -f 1234.567, 7, "ab"');
    expect(r.stdout).toBe(lines('1,234.57|   7|ab  |1234.6'));
  });
});

describe('values', () => {
  it('arrays index from either end; .Count and .Length', async () => {
    const r = await ps('$a = 10,20,30; $a[0]; $a[-1]; $a.Count; @().Count; "hello".Length; $a[1..2]');
    expect(r.stdout).toBe(lines('10', '30', '3', '0', '5', '20', '30'));
  });
  it('hashtables: keys case-insensitive, dot and index access', async () => {
    const r = await ps('$h = [ordered]@{ Number = 1; Shape = "Square" }; $h.number; $h["SHAPE"]; $h.Count; $h.Color = "Blue"; $h.Keys -join ","');
    expect(r.stdout).toBe(lines('1', 'Square', '2', 'Number,Shape,Color'));
  });
  it('string methods', async () => {
    const r = await ps('"Hello".ToUpper(); "  x ".Trim(); "a,b".Split(",")[1]; "hello".Replace("l","L"); "abc".Substring(1); "abc".StartsWith("a"); "abc".IndexOf("c"); "x".PadLeft(3,"-")');
    expect(r.stdout).toBe(lines('HELLO', 'x', 'b', 'heLLo', 'bc', 'True', '2', '--x'));
  });
  it('casts convert', async () => {
    const r = await ps('[int]"42" + 1; [string]1.5; [bool]"false"; [char]65; [int[]]("1","2") | % { $_ * 2 }; [math]::Round(2.5); [math]::Max(3, 9)');
    expect(r.stdout).toBe(lines('43', '1.5', 'True', 'A', '2', '4', '2', '9'));
  });
});

describe('statements', () => {
  it('if / elseif / else (about_If)', async () => {
    const r = await ps('$a = 7; if ($a -gt 10) { "big" } elseif ($a -gt 5) { "medium" } else { "small" }');
    expect(r.stdout).toBe(lines('medium'));
  });
  it('foreach, for, while, do-until, break and continue', async () => {
    const r = await ps('foreach ($i in 1..5) { if ($i -eq 2) { continue }; if ($i -eq 4) { break }; $i }; for ($i = 0; $i -lt 2; $i++) { "f$i" }; $n = 0; while ($n -lt 3) { $n++ }; $n; do { $n-- } until ($n -le 0); $n');
    expect(r.stdout).toBe(lines('1', '3', 'f0', 'f1', '3', '0'));
  });
  it('switch with values, -wildcard, -regex, script blocks and default (about_Switch)', async () => {
    const r = await ps('switch (3) { 1 {"It is one."} 3 {"It is three."} default {"none"} }; switch -wildcard ("fourteen") { "four*" {"That is too many."} }; switch -regex ("a1") { "^\\d" {"digit"} "\\d$" {"ends"} }; switch (5) { {$_ -gt 3} {"gt3"} }; switch (1,2) { 1 {"one"} default {"other"} }');
    expect(r.stdout).toBe(lines('It is three.', 'That is too many.', 'ends', 'gt3', 'one', 'other'));
  });
  it('functions with param(), defaults, switches and pipeline input (about_Functions)', async () => {
    const r = await ps('function Add([int]$a, [int]$b = 10) { $a + $b }; Add 1; Add -b 2 -a 3; function T { param([switch]$Loud) if ($Loud) { "LOUD" } else { "quiet" } }; T; T -Loud; function Dbl { process { $_ * 2 } }; 1,2 | Dbl; function Sum { $t = 0; foreach ($x in $input) { $t += $x }; $t }; 1,2,3 | Sum');
    expect(r.stdout).toBe(lines('11', '5', 'quiet', 'LOUD', '2', '4', '6'));
  });
  it('return leaves the function with its value', async () => {
    const r = await ps('function F { "a"; return "b"; "c" }; F');
    expect(r.stdout).toBe(lines('a', 'b'));
  });
  it('try / catch / finally and throw (about_Try_Catch_Finally)', async () => {
    const r = await ps('try { throw "oops" } catch { "caught $($_.Exception.Message)" } finally { "cleanup" }; try { Get-Item C:\\nope -ErrorAction Stop } catch [System.Management.Automation.ItemNotFoundException] { "not found" }; try { 1/0 } catch { $_.Exception.Message }');
    expect(r.stdout).toBe(lines('caught oops', 'cleanup', 'not found', 'Attempted to divide by zero.'));
  });
  it('script blocks run with & and . (about_Script_Blocks)', async () => {
    const r = await ps('$sb = { param($x) "got $x" }; & $sb 5; $v = 1; . { $v = 2 }; $v; & { $v = 3 }; $v; $sb.Invoke(7)');
    expect(r.stdout).toBe(lines('got 5', '2', '2', 'got 7'));
  });
  it('deep recursion stops with call depth overflow', async () => {
    const r = await ps('function R { R }; R');
    expect(r.stderr.split('\r\n')[0]).toBe('The script failed due to call depth overflow.');
  });
});

describe('pipelines', () => {
  it('Where-Object, ForEach-Object, Sort-Object, Select-Object, Measure-Object', async () => {
    const r = await ps('1..10 | Where-Object { $_ % 2 -eq 0 } | ForEach-Object { $_ * 10 } | Sort-Object -Descending | Select-Object -First 2; (1..4 | Measure-Object -Sum).Sum; "b","a" | sort');
    expect(r.stdout).toBe(lines('100', '80', '10', 'a', 'b'));
  });
  it('simplified Where-Object and member enumeration', async () => {
    const r = await ps('$o = [pscustomobject]@{N="a";V=1},[pscustomobject]@{N="b";V=2}; ($o | Where-Object V -gt 1).N; $o.N; $o | % N');
    expect(r.stdout).toBe(lines('b', 'a', 'b', 'a', 'b'));
  });
  it('native programs: output lines into the pipeline, $LASTEXITCODE and $?', async () => {
    const r = await ps('$out = cmd /c "echo one& echo two"; $out.Count; $out[1]; cmd /c exit 3; $?; $LASTEXITCODE; cmd /c exit 0; $?');
    expect(r.stdout).toBe(lines('2', 'two', 'False', '3', 'True'));
  });
  it('redirection: > writes UTF-16LE, 2>$null discards errors, 2>&1 merges them', async () => {
    const r = await ps('"hi" > C:\\r.txt; [System.IO.File]::ReadAllText("C:\\r.txt"); Get-Item nope 2>$null; "after"; (Get-Item nope 2>&1).FullyQualifiedErrorId');
    expect(r.stdout).toBe(lines('hi', '', 'after', 'PathNotFound,Microsoft.PowerShell.Commands.GetItemCommand'));
    expect(r.stderr).toBe('');
  });
});

describe('common parameters', () => {
  it('-ErrorVariable collects the command’s errors (emptied first; +name adds), even when -ErrorAction SilentlyContinue hides them', async () => {
    const r = await ps('Get-Item C:\\nope1, C:\\nope2 -ErrorAction SilentlyContinue -ErrorVariable bad; $bad.Count; $bad[1].FullyQualifiedErrorId; Get-Item C:\\nope3 -ErrorAction SilentlyContinue -ErrorVariable +bad; $bad.Count; Get-Item C:\\ -ErrorVariable bad | Out-Null; $bad.Count');
    expect(r.stdout).toBe(lines('2', 'PathNotFound,Microsoft.PowerShell.Commands.GetItemCommand', '3', '0'));
  });
});
