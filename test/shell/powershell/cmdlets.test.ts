// The cmdlets containers use: file system and registry providers,
// processes, services and Windows features.
import { describe, expect, it } from 'vitest';
import { run } from '../support.js';

const ps = (cmd: string, image?: string) => run(['powershell', '-NoProfile', '-Command', cmd], { image });
const lines = (...l: string[]) => l.map((x) => x + '\r\n').join('');

describe('FileSystem provider', () => {
  it('Set-Content, Add-Content and Get-Content round-trip lines; -Raw, -TotalCount, -Tail', async () => {
    const r = await ps('Set-Content C:\\f.txt "one","two"; Add-Content C:\\f.txt "three"; Get-Content C:\\f.txt; (Get-Content C:\\f.txt -Raw).Length; Get-Content C:\\f.txt -TotalCount 1; Get-Content C:\\f.txt -Tail 1');
    expect(r.stdout).toBe(lines('one', 'two', 'three', '17', 'one', 'three'));
  });
  it('Out-File writes UTF-16LE with a BOM; Set-Content writes ANSI', async () => {
    const r = await ps('"é" | Out-File C:\\u.txt; (Get-Item C:\\u.txt).Length; Set-Content C:\\a.txt "é"; (Get-Item C:\\a.txt).Length; Get-Content C:\\u.txt');
    expect(r.stdout).toBe(lines('8', '3', 'é'));
  });
  it('New-Item makes directories with their parents (-Force) and files; Test-Path sees them', async () => {
    const r = await ps('New-Item -ItemType Directory C:\\a\\b -Force | Out-Null; New-Item C:\\a\\b\\c.txt -ItemType File -Value "hi" | Out-Null; Test-Path C:\\a\\b\\c.txt; Test-Path C:\\a\\b -PathType Leaf; Test-Path C:\\a\\b -PathType Container; Test-Path C:\\zz');
    expect(r.stdout).toBe(lines('True', 'False', 'True', 'False'));
  });
  it('Copy-Item, Move-Item, Rename-Item, Remove-Item -Recurse', async () => {
    const r = await ps(
      'New-Item -ItemType Directory C:\\s\\in -Force | Out-Null; Set-Content C:\\s\\in\\f.txt x; Copy-Item C:\\s C:\\t -Recurse; Test-Path C:\\t\\in\\f.txt; Move-Item C:\\t\\in\\f.txt C:\\t\\g.txt; Rename-Item C:\\t\\g.txt h.txt; (Get-ChildItem C:\\t -Name) -join ","; Remove-Item C:\\t -Recurse; Test-Path C:\\t',
    );
    expect(r.stdout).toBe(lines('True', 'in,h.txt', 'False'));
  });
  it('Get-ChildItem -Recurse -Filter and -Name; wildcards', async () => {
    const r = await ps('New-Item -ItemType Directory C:\\w\\x -Force | Out-Null; Set-Content C:\\w\\a.log 1; Set-Content C:\\w\\x\\b.log 2; Set-Content C:\\w\\c.txt 3; Get-ChildItem C:\\w -Recurse -Filter *.log -Name; (Get-ChildItem C:\\w\\*.txt).Name');
    expect(r.stdout).toBe(lines('a.log', 'x\\b.log', 'c.txt'));
  });
  it('Set-Location changes the location and the directory native programs start in', async () => {
    const r = await ps('Set-Location C:\\Windows; (Get-Location).Path; cmd /c cd; cd ..; $PWD.Path');
    expect(r.stdout).toBe(lines('C:\\Windows', 'C:\\Windows', 'C:\\'));
  });
  it('Remove-Item of a missing path is ItemNotFoundException', async () => {
    const r = await ps('Remove-Item C:\\missing');
    expect(r.stderr.split('\r\n')[0]).toBe("Remove-Item : Cannot find path 'C:\\missing' because it does not exist.");
  });
});

describe('Registry provider', () => {
  it('HKLM: keys and values: New-Item, Set-ItemProperty, Get-ItemProperty, Get-ItemPropertyValue, Remove-Item', async () => {
    const r = await ps(
      'New-Item HKLM:\\SOFTWARE\\Acme | Out-Null; Set-ItemProperty HKLM:\\SOFTWARE\\Acme -Name Level -Value 5; New-ItemProperty HKLM:\\SOFTWARE\\Acme -Name Mode -Value fast -PropertyType String | Out-Null; (Get-ItemProperty HKLM:\\SOFTWARE\\Acme).Level; Get-ItemPropertyValue HKLM:\\SOFTWARE\\Acme -Name Mode; reg query HKLM\\SOFTWARE\\Acme /v Level; Remove-Item HKLM:\\SOFTWARE\\Acme; Test-Path HKLM:\\SOFTWARE\\Acme',
    );
    expect(r.stdout.split('\r\n').slice(0, 2)).toEqual(['5', 'fast']);
    expect(r.stdout).toContain('Level    REG_DWORD    0x5');
    expect(r.stdout.endsWith('False\r\n')).toBe(true);
  });
  it('Set-Location into the registry and relative paths', async () => {
    const r = await ps('Set-Location HKLM:\\SOFTWARE\\Microsoft; (Get-Location).Path; Test-Path ".\\Windows NT"; (Get-ItemProperty ".\\Windows NT\\CurrentVersion").CurrentBuild');
    expect(r.stdout).toBe(lines('HKLM:\\SOFTWARE\\Microsoft', 'True', '20348'));
  });
  it('a missing key is PathNotFound', async () => {
    const r = await ps('Get-Item HKLM:\\SOFTWARE\\Nope');
    expect(r.stderr.split('\r\n')[0]).toBe("Get-Item : Cannot find path 'HKLM:\\SOFTWARE\\Nope' because it does not exist.");
  });
});

describe('processes and services', () => {
  it('Get-Process finds itself; a missing name is NoProcessFoundForGivenName', async () => {
    const r = await ps('(Get-Process -Id $PID).ProcessName; (Get-Process csrss).Name; Get-Process nope');
    expect(r.stdout).toBe(lines('powershell', 'csrss'));
    expect(r.stderr.split('\r\n')[0]).toBe('Get-Process : Cannot find a process with the name "nope". Verify the process name and call the cmdlet again.');
  });
  it('Stop-Service, Start-Service, Restart-Service change the service through the SCM', async () => {
    const r = await ps('Stop-Service W32Time; (Get-Service W32Time).Status; Start-Service W32Time; (Get-Service W32Time).Status; Restart-Service W32Time -PassThru | % Status; sc.exe query W32Time | Select-String RUNNING');
    expect(r.stdout.split('\r\n').slice(0, 3)).toEqual(['Stopped', 'Running', 'Running']);
  });
  it('Stop-Service of a service with running dependents needs -Force', async () => {
    const r = await ps('Stop-Service EventLog');
    expect(r.stderr.split('\r\n')[0]).toBe("Stop-Service : Cannot stop service 'Windows Event Log (EventLog)' because it has dependent services. It can only be stopped if the Force flag is set.");
  });
  it('Get-Service with wildcards and a missing name', async () => {
    const r = await ps('(Get-Service Win*).Name -join ","; Get-Service nope');
    expect(r.stdout).toMatch(/^(Win\w+)(,Win\w+)*\r\n$/);
    expect(r.stderr.split('\r\n')[0]).toBe("Get-Service : Cannot find any service with service name 'nope'.");
  });
});

describe('Windows features', () => {
  it('Install-WindowsFeature Web-Server installs IIS: W3SVC runs, C:\\inetpub exists, InetStp is written', async () => {
    const r = await ps(
      '(Get-WindowsFeature Web-Server).InstallState; $r = Install-WindowsFeature Web-Server; $r.Success; $r.ExitCode; (Get-Service W3SVC).Status; (Get-Service WAS).Status; Test-Path C:\\inetpub\\wwwroot\\iisstart.htm; (Get-ItemProperty HKLM:\\SOFTWARE\\Microsoft\\InetStp).MajorVersion; (Get-WindowsFeature Web-Server).InstallState; (Install-WindowsFeature Web-Server).ExitCode',
    );
    expect(r.stdout).toBe(lines('Available', 'True', 'Success', 'Running', 'Running', 'True', '10', 'Installed', 'NoChangeNeeded'));
  });
  it('Install-WindowsFeature shows its result table', async () => {
    const r = await ps('Install-WindowsFeature NET-Framework-Core');
    expect(r.stdout).toBe(lines('', 'Success Restart Needed Exit Code      Feature Result', '------- -------------- ---------      --------------', 'True    No             Success        {.NET Framework 3.5 (includes .NET 2.0 and 3.0)}', '', ''));
  });
  it('Enable-WindowsOptionalFeature IIS-WebServerRole installs IIS too', async () => {
    const r = await ps('Enable-WindowsOptionalFeature -Online -FeatureName IIS-WebServerRole; (Get-Service W3SVC).Status');
    expect(r.stdout).toBe(lines('', 'Path          :', 'Online        : True', 'RestartNeeded : False', '', 'Running', ''));
  });
  it('an unknown feature name fails', async () => {
    const r = await ps('Install-WindowsFeature Nope');
    expect(r.stderr.split('\r\n')[0]).toBe("Install-WindowsFeature : ArgumentNotValid: The role, role service, or feature name is not valid: 'Nope'. The name was not found.");
  });
});

describe('networking (issue 10 pending)', () => {
  it('Invoke-WebRequest fails as when the name cannot be resolved', async () => {
    const r = await ps('iwr http://example.com/ -UseBasicParsing');
    expect(r.stderr.split('\r\n')[0]).toBe("Invoke-WebRequest : The remote name could not be resolved: 'example.com'");
  });
  it('Dockerfile idioms: TLS 1.2 setting is accepted; WebClient downloads fail like a failed lookup', async () => {
    const r = await ps("[Net.ServicePointManager]::SecurityProtocol = [Net.SecurityProtocolType]::Tls12; 'ok'; (New-Object System.Net.WebClient).DownloadString('https://chocolatey.org/install.ps1')");
    expect(r.stdout).toBe(lines('ok'));
    expect(r.stderr.split('\r\n')[0]).toBe('Exception calling "DownloadString" with "1" argument(s): "The remote name could not be resolved: \'chocolatey.org\'"');
  });
  it('Get-NetIPAddress lists loopback', async () => {
    const r = await ps('(Get-NetIPAddress -AddressFamily IPv4).IPAddress');
    expect(r.stdout).toContain('127.0.0.1\r\n');
  });
});

describe('execution policies', () => {
  it('RemoteSigned on Windows Server by default; -List shows the five scopes; the Process scope wins and lives in PSExecutionPolicyPreference', async () => {
    const r = await ps('Get-ExecutionPolicy; Get-ExecutionPolicy -List; Set-ExecutionPolicy Bypass -Scope Process -Force; Get-ExecutionPolicy; $env:PSExecutionPolicyPreference');
    expect(r.stdout).toBe(
      lines('RemoteSigned', '', '        Scope ExecutionPolicy', '        ----- ---------------', 'MachinePolicy       Undefined', '   UserPolicy       Undefined', '      Process       Undefined', '  CurrentUser       Undefined', ' LocalMachine    RemoteSigned', 'Bypass', 'Bypass', '', ''),
    );
  });
  it('powershell -ExecutionPolicy sets the Process scope; LocalMachine is kept in the registry for the next session; an overridden change is the 5.1 error', async () => {
    const r = await run(['cmd', '/c', 'powershell -ExecutionPolicy Bypass -Command Get-ExecutionPolicy & powershell -Command Set-ExecutionPolicy Unrestricted -Force & powershell -Command Get-ExecutionPolicy -Scope LocalMachine & powershell -ep Bypass -Command Set-ExecutionPolicy AllSigned -Force']);
    expect(r.stdout).toBe(lines('Bypass', 'Unrestricted'));
    expect(r.stderr).toContain('Set-ExecutionPolicy : Windows PowerShell updated your execution policy successfully, but the setting is overridden by a policy defined at a more specific scope.  Due to the override, your shell will retain its current effective execution policy of Bypass.');
    expect(r.stderr).toContain('FullyQualifiedErrorId : ExecutionPolicyOverride,Microsoft.PowerShell.Commands.SetExecutionPolicyCommand');
  });
});
