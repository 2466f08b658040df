// Invoke-WebRequest / Invoke-RestMethod over the container's network (ctx.net):
// IIS in the container answers on its loopback; failures in 5.1's words.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { run } from '../support.js';
import { startContainer, type Running } from '../system/exec-support.js';

const IIS = 'mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022';

describe('web cmdlets against IIS in the container', () => {
  let c: Running;
  beforeAll(async () => {
    c = await startContainer([], { image: IIS });
    // ServiceMonitor has (re)started W3SVC once it prints "started".
    let text = '';
    while (!text.includes('started')) text += Buffer.from((await c.main.stdout!.read())!).toString();
  }, 60_000);
  afterAll(() => c.remove());

  test('(Invoke-WebRequest http://localhost/ -UseBasicParsing).StatusCode is 200', async () => {
    expect(await c.exec(['powershell', '-Command', '(Invoke-WebRequest http://localhost/ -UseBasicParsing).StatusCode'])).toEqual({ stdout: '200\r\n', stderr: '', exitCode: 0 });
  });

  test('the response object: StatusDescription, Content, RawContent and Headers', async () => {
    const r = await c.exec(['powershell', '-Command', '$r = iwr http://127.0.0.1/iisstart.htm -UseBasicParsing; $r.StatusDescription; $r.Headers["Server"]; $r.RawContent.Split("`n")[0]; $r.Content.Contains("<title>IIS Windows Server</title>")']);
    expect(r.stdout).toBe('OK\r\nMicrosoft-IIS/10.0\r\nHTTP/1.1 200 OK\r\r\nTrue\r\n');
  });

  test('the default display of the response', async () => {
    const r = await c.exec(['powershell', '-Command', 'Invoke-WebRequest http://localhost/ -UseBasicParsing']);
    const pad = ' '.repeat(20);
    expect(r.stdout.startsWith('\r\nStatusCode        : 200\r\nStatusDescription : OK\r\nContent           : <!DOCTYPE html>\r\n')).toBe(true);
    expect(r.stdout).toContain(`<style type="text/c...\r\nRawContent        : HTTP/1.1 200 OK\r\n${pad}Accept-Ranges: bytes\r\n${pad}Content-Length: 612\r\n`);
    expect(r.stdout).toContain('\r\nHeaders           : {[Accept-Ranges, bytes], [Content-Length, 612], [Content-Type, text/html], [Date, Mon, 23 Nov 2026 12:00:00 GMT]...}\r\n');
    expect(r.stdout).toContain('\r\nInputFields       : {}\r\n');
    expect(r.stdout.endsWith('\r\nRawContentLength  : 612\r\n\r\n\r\n')).toBe(true);
    expect(r.stdout).not.toContain('ParsedHtml');
  });

  test('-OutFile writes the body; Invoke-RestMethod returns the text', async () => {
    const r = await c.exec(['powershell', '-Command', 'iwr http://localhost/iisstart.htm -OutFile C:\\page.htm; (Get-Content C:\\page.htm -Raw).Length -gt 100; (Invoke-RestMethod http://localhost/).Contains("IIS")']);
    expect(r.stdout).toBe('True\r\nTrue\r\n');
  });

  test('Invoke-RestMethod converts JSON; a JSON array is one pipeline object as in 5.1', async () => {
    const r = await c.exec(['powershell', '-Command', `Set-Content C:\\inetpub\\wwwroot\\a.json '[{"a":1,"b":"x"},{"a":2,"b":"y"}]'; (irm http://localhost/a.json | Measure-Object).Count; (irm http://localhost/a.json)[1].b`]);
    expect(r).toEqual({ stdout: '1\r\ny\r\n', stderr: '', exitCode: 0 });
  });

  test('a 404 is a WebException with the error page as its message', async () => {
    const r = await c.exec(['powershell', '-Command', 'try { iwr http://localhost/none.htm -UseBasicParsing } catch { $_.FullyQualifiedErrorId }']);
    expect(r.stdout).toBe('WebCmdletWebResponseException,Microsoft.PowerShell.Commands.InvokeWebRequestCommand\r\n');
  });

  test('without -UseBasicParsing: the Internet Explorer engine is not available (Server Core)', async () => {
    const r = await c.exec(['powershell', '-Command', 'Invoke-WebRequest http://localhost/']);
    expect(r.stderr).toBe(
      "Invoke-WebRequest : The response content cannot be parsed because the Internet Explorer engine is not available, or Internet Explorer's first-launch configuration is not complete. Specify the UseBasicParsing parameter and try again.\r\n" +
        'At line:1 char:1\r\n' +
        '+ Invoke-WebRequest http://localhost/\r\n' +
        `+ ${'~'.repeat(35)}\r\n` +
        '    + CategoryInfo          : NotImplemented: (:) [Invoke-WebRequest], NotSupportedException\r\n' +
        '    + FullyQualifiedErrorId : WebCmdletIEDomNotSupportedException,Microsoft.PowerShell.Commands.InvokeWebRequestCommand\r\n' +
        ' \r\n',
    );
  });

  test('Invoke-RestMethod: an unknown name fails with its own command name', async () => {
    const r = await c.exec(['powershell', '-Command', 'irm http://nosuch/']);
    expect(r.stderr).toContain('    + FullyQualifiedErrorId : WebCmdletWebResponseException,Microsoft.PowerShell.Commands.InvokeRestMethodCommand\r\n');
    expect(r.stderr.split('\r\n')[0]).toBe("Invoke-RestMethod : The remote name could not be resolved: 'nosuch'");
  });

  test('a port where nothing listens: Unable to connect to the remote server', async () => {
    const r = await c.exec(['powershell', '-Command', 'Invoke-WebRequest http://localhost:8080/ -UseBasicParsing']);
    expect(r.stderr.split('\r\n')[0]).toBe('Invoke-WebRequest : Unable to connect to the remote server');
  });
});

test('a name that does not resolve: the remote name could not be resolved, with 5.1 error-record lines', async () => {
  const r = await run(['powershell', '-Command', 'Invoke-WebRequest http://nosuchhost/ -UseBasicParsing']);
  expect(r.stderr).toBe(
    "Invoke-WebRequest : The remote name could not be resolved: 'nosuchhost'\r\n" +
      'At line:1 char:1\r\n' +
      '+ Invoke-WebRequest http://nosuchhost/ -UseBasicParsing\r\n' +
      `+ ${'~'.repeat(53)}\r\n` +
      '    + CategoryInfo          : InvalidOperation: (System.Net.HttpWebRequest:HttpWebRequest) [Invoke-WebRequest], WebException\r\n' +
      '    + FullyQualifiedErrorId : WebCmdletWebResponseException,Microsoft.PowerShell.Commands.InvokeWebRequestCommand\r\n' +
      ' \r\n',
  );
});

test('Get-NetIPAddress lists the container adapter and the loopback', async () => {
  const r = await run(['powershell', '-Command', '(Get-NetIPAddress -AddressFamily IPv4).IPAddress']);
  expect(r.stdout).toMatch(/^\d+\.\d+\.\d+\.\d+\r\n127\.0\.0\.1\r\n$/);
});

test('servercore after Install-WindowsFeature Web-Server: IIS answers Invoke-WebRequest', async () => {
  const r = await run(['powershell', '-Command', 'Install-WindowsFeature Web-Server | Out-Null; (Invoke-WebRequest http://localhost/ -UseBasicParsing).StatusCode']);
  expect(r).toEqual({ stdout: '200\r\n', stderr: '', exitCode: 0 });
});
