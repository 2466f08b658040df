// Default formatting and error records as Windows PowerShell 5.1 prints
// them (tables, lists, the file-system listing, error records with their
// position and CategoryInfo lines).
import { describe, expect, it } from 'vitest';
import { run } from '../support.js';

const ps = (cmd: string) => run(['powershell', '-NoProfile', '-Command', cmd]);
const lines = (...l: string[]) => l.map((x) => x + '\r\n').join('');

describe('tables and lists (Out-Default)', () => {
  it('an object with up to four properties is a table: blank line, header, dashes, rows, two blank lines', async () => {
    const r = await ps('[pscustomobject]@{Name="a";Value=1}; [pscustomobject]@{Name="bb";Value=22}');
    expect(r.stdout).toBe(lines('', 'Name Value', '---- -----', 'a        1', 'bb      22', '', ''));
  });
  // InnerFormatShapeCommand.ProcessObject: a view generated from the first object (no format data) is
  // applicable to every later object (ViewGenerator.IsObjectApplicable), and scalars are out-of-band.
  it('Select-Object over folders and files is one table: the generated view takes every later object', async () => {
    const r = await ps('Get-ChildItem C:\\ | Select-Object Name, Mode');
    expect(r.stdout).toBe(
      lines('', 'Name                Mode', '----                ----', 'Program Files       d-r---', 'Program Files (x86) d-r---', 'Users               d-r---', 'Windows             d-----', 'License.txt         -a----', '', ''),
    );
  });
  it('a later object without the first one’s properties is an empty row (the 5.1 quirk)', async () => {
    const r = await ps('[pscustomobject]@{a=1}; [pscustomobject]@{b=2}; [pscustomobject]@{a=3}');
    expect(r.stdout).toBe(lines('', 'a', '-', '1', '', '3', '', ''));
  });
  it('a string between rows prints in place and the table goes on without a new header', async () => {
    const r = await ps('[pscustomobject]@{a=1}; "x"; 42; [pscustomobject]@{a=2}');
    expect(r.stdout).toBe(lines('', 'a', '-', '1', 'x', '42', '2', '', ''));
  });
  it('a generated list lists every later object with its own properties', async () => {
    const r = await ps('[pscustomobject]@{A=1;B=2;C=3;D=4;E=5}; [pscustomobject]@{x=1}');
    expect(r.stdout).toBe(lines('', 'A : 1', 'B : 2', 'C : 3', 'D : 4', 'E : 5', '', 'x : 1', '', ''));
  });
  it('an object whose type has a view ends a table of another view', async () => {
    const r = await ps('Get-Service BITS; [pscustomobject]@{a=1}');
    expect(r.stdout).toBe(lines('', 'Status   Name               DisplayName', '------   ----               -----------', 'Stopped  BITS               Background Intelligent Transfer Ser...', '', '', '', 'a', '-', '1', '', ''));
  });
  it('five or more properties make a list with labels padded to the longest', async () => {
    const r = await ps('[pscustomobject]@{A=1;Bee=2;C=3;D=4;E=5}');
    expect(r.stdout).toBe(lines('', 'A   : 1', 'Bee : 2', 'C   : 3', 'D   : 4', 'E   : 5', '', ''));
  });
  it('a hashtable shows Name and Value with Name 30 wide', async () => {
    const r = await ps('[ordered]@{a=1;b="x"}');
    expect(r.stdout).toBe(lines('', 'Name                           Value', '----                           -----', 'a                              1', 'b                              x', '', ''));
  });
  it('Get-Service: Status 8, Name 18, DisplayName 38 wide, long names cut with three dots', async () => {
    const r = await ps('Get-Service BITS, EventLog');
    expect(r.stdout).toBe(
      lines('', 'Status   Name               DisplayName', '------   ----               -----------', 'Stopped  BITS               Background Intelligent Transfer Ser...', 'Running  EventLog           Windows Event Log', '', ''),
    );
  });
  it("Get-Process: 5.1's header", async () => {
    const r = await ps('Get-Process -Id $PID');
    const out = r.stdout.split('\r\n');
    expect(out.slice(0, 3)).toEqual(['', 'Handles  NPM(K)    PM(K)      WS(K)     CPU(s)     Id  SI ProcessName', '-------  ------    -----      -----     ------     --  -- -----------']);
    expect(out[3]).toMatch(/^ {0,6}\d+ +\d+ +\d+ +\d+ +\d+\.\d\d +\d+ +\d+ powershell$/);
  });
  it('Get-ChildItem groups by directory with the Mode/LastWriteTime/Length/Name layout', async () => {
    const r = await ps('New-Item -ItemType Directory C:\\d\\sub | Out-Null; Set-Content C:\\d\\a.txt "x"; Get-ChildItem C:\\d');
    expect(r.stdout).toBe(
      lines(
        '',
        '',
        '    Directory: C:\\d',
        '',
        '',
        'Mode                 LastWriteTime         Length Name',
        '----                 -------------         ------ ----',
        'd-----        11/23/2026  12:00 PM                sub',
        '-a----        11/23/2026  12:00 PM              3 a.txt',
        '',
        '',
      ),
    );
  });
  it('$PSVersionTable.PSVersion is a System.Version table', async () => {
    const r = await ps('$PSVersionTable.PSVersion; "$($PSVersionTable.PSVersion)"');
    expect(r.stdout).toBe(lines('', 'Major  Minor  Build  Revision', '-----  -----  -----  --------', '5      1      20348  1', '5.1.20348.1', '', ''));
  });
  it('[Environment]::OSVersion: Platform, ServicePack, Version, VersionString; its Version is a System.Version', async () => {
    const r = await ps('[Environment]::OSVersion.Version.GetType().FullName; [Environment]::OSVersion.Version.Build; [Environment]::OSVersion | Format-List');
    expect(r.stdout).toBe(lines('System.Version', '20348', '', 'Platform      : Win32NT', 'ServicePack   :', 'Version       : 10.0.20348.0', 'VersionString : Microsoft Windows NT 10.0.20348.0', '', ''));
  });
  it('Get-Location shows a Path table', async () => {
    const r = await ps('Get-Location');
    expect(r.stdout).toBe(lines('', 'Path', '----', 'C:\\', '', ''));
  });
  it('Format-Table -AutoSize with chosen properties, Format-List with chosen properties', async () => {
    const r = await ps('$o = [pscustomobject]@{Name="x";Size=10;Kind="f"}; $o | Format-Table Name, Size -AutoSize; $o | Format-List Kind, Name');
    expect(r.stdout).toBe(lines('', 'Name Size', '---- ----', 'x      10', '', '', '', 'Kind : f', 'Name : x', '', ''));
  });
  it('Out-String returns the formatted text', async () => {
    const r = await ps('$s = [pscustomobject]@{A=1} | Out-String; $s.Length; $s.Trim()');
    expect(r.stdout).toBe(lines('15', 'A', '-', '1'));
  });
  it('registry keys list their values padded to the longest name', async () => {
    const r = await ps('Get-ChildItem HKLM:\\SOFTWARE\\Microsoft\\PowerShell\\3');
    expect(r.stdout).toBe(
      lines(
        '',
        '',
        '    Hive: HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\PowerShell\\3',
        '',
        '',
        'Name                           Property',
        '----                           --------',
        'PowerShellEngine               ApplicationBase   : C:\\Windows\\System32\\WindowsPowerShell\\v1.0',
        '                               PowerShellVersion : 5.1.20348.1',
        '',
        '',
      ),
    );
  });
});

describe('error records (5.1 NormalView)', () => {
  const NOT_RECOGNIZED =
    "x : The term 'x' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.";
  it('an unknown command: message, position, marker, CategoryInfo, FullyQualifiedErrorId; exit code 1', async () => {
    const r = await ps('x');
    expect(r.stderr).toBe(
      lines(NOT_RECOGNIZED, 'At line:1 char:1', '+ x', '+ ~', '    + CategoryInfo          : ObjectNotFound: (x:String) [], CommandNotFoundException', '    + FullyQualifiedErrorId : CommandNotFoundException', ' '),
    );
    expect(r.stdout).toBe('');
    expect(r.exitCode).toBe(1);
  });
  it('a cmdlet error names the cmdlet and underlines the whole command; the script goes on', async () => {
    const r = await ps('"before"; Get-Item C:\\nope; "after"');
    expect(r.stdout).toBe(lines('before', 'after'));
    expect(r.stderr).toBe(
      lines(
        "Get-Item : Cannot find path 'C:\\nope' because it does not exist.",
        'At line:1 char:11',
        '+ "before"; Get-Item C:\\nope; "after"',
        '+           ~~~~~~~~~~~~~~~~',
        '    + CategoryInfo          : ObjectNotFound: (C:\\nope:String) [Get-Item], ItemNotFoundException',
        '    + FullyQualifiedErrorId : PathNotFound,Microsoft.PowerShell.Commands.GetItemCommand',
        ' ',
      ),
    );
    expect(r.exitCode).toBe(0);
  });
  it('throw ends the script with OperationStopped', async () => {
    const r = await ps('throw "boom"; "unreached"');
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(lines('boom', 'At line:1 char:1', '+ throw "boom"; "unreached"', '+ ~~~~~~~~~~~~', '    + CategoryInfo          : OperationStopped: (boom:String) [], RuntimeException', '    + FullyQualifiedErrorId : boom', ' '));
    expect(r.exitCode).toBe(1);
  });
  it('a runtime exception ends only its statement', async () => {
    const r = await ps('$x = $null; $x.Foo(); "after"');
    expect(r.stdout).toBe(lines('after'));
    expect(r.stderr).toBe(
      lines('You cannot call a method on a null-valued expression.', 'At line:1 char:13', '+ $x = $null; $x.Foo(); "after"', '+             ~~~~~~~~', '    + CategoryInfo          : InvalidOperation: (:) [], RuntimeException', '    + FullyQualifiedErrorId : InvokeMethodOnNull', ' '),
    );
  });
  it('-ErrorAction Stop and $ErrorActionPreference = "Stop" make an error terminating', async () => {
    const r = await ps('$ErrorActionPreference = "Stop"; Get-Item C:\\nope; "unreached"');
    expect(r.stdout).toBe('');
    expect(r.exitCode).toBe(1);
    const q = await ps('Get-Item C:\\nope -ErrorAction SilentlyContinue; "continued"; $Error.Count; $?');
    expect(q.stdout).toBe(lines('continued', '1', 'True'));
    expect(q.stderr).toBe('');
  });
  it('parameter binding errors', async () => {
    const r = await ps('Get-ChildItem -Foo');
    expect(r.stderr).toBe(
      lines(
        "Get-ChildItem : A parameter cannot be found that matches parameter name 'Foo'.",
        'At line:1 char:1',
        '+ Get-ChildItem -Foo',
        '+ ~~~~~~~~~~~~~~~~~~',
        '    + CategoryInfo          : InvalidArgument: (:) [Get-ChildItem], ParameterBindingException',
        '    + FullyQualifiedErrorId : NamedParameterNotFound,Microsoft.PowerShell.Commands.GetChildItemCommand',
        ' ',
      ),
    );
  });
  it('parse errors put the position first', async () => {
    const r = await ps('if (');
    expect(r.stderr).toBe(
      lines('At line:1 char:5', '+ if (', '+     ~', "Missing condition in if statement after 'if ('.", '    + CategoryInfo          : ParserError: (:) [], ParentContainsErrorRecordException', '    + FullyQualifiedErrorId : IfStatementMissingCondition', ' '),
    );
    expect(r.exitCode).toBe(1);
  });
  it("bash's && is not a statement separator in 5.1", async () => {
    const r = await ps('echo a && echo b');
    expect(r.stderr).toBe(
      lines('At line:1 char:8', '+ echo a && echo b', '+        ~~', "The token '&&' is not a valid statement separator in this version.", '    + CategoryInfo          : ParserError: (:) [], ParentContainsErrorRecordException', '    + FullyQualifiedErrorId : InvalidEndOfLine', ' '),
    );
    expect(r.stdout).toBe('');
  });
  it('Write-Error inside a function names the function', async () => {
    const r = await ps('function f { Write-Error "bad thing" }; f');
    expect(r.stderr).toBe(
      lines(
        'f : bad thing',
        'At line:1 char:41',
        '+ function f { Write-Error "bad thing" }; f',
        '+                                         ~',
        '    + CategoryInfo          : NotSpecified: (:) [Write-Error], WriteErrorException',
        '    + FullyQualifiedErrorId : Microsoft.PowerShell.Commands.WriteErrorException,f',
        ' ',
      ),
    );
  });
});
