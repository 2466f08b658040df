// `Install-WindowsFeature Web-Server` on servercore installs W3SVC (the
// PowerShell cmdlet's work); HTTP.sys then serves port 80 from the
// service's state (src/net/iis/http-sys.ts) with no further step.
import { expect, test } from 'vitest';
import { SERVERCORE, useDaemon } from '../daemon/support.js';

const d = useDaemon({ images: [SERVERCORE] });

test('port 80 refuses before Install-WindowsFeature Web-Server and serves iisstart.htm after it', async () => {
  expect((await d().docker(['run', '-d', '--name', 'sc', SERVERCORE, 'ping', '-t', '127.0.0.1'])).code).toBe(0);
  const before = await d().docker(['exec', 'sc', 'curl.exe', '-sS', 'http://localhost/']);
  expect(before.stderr).toMatch(/^curl: \(7\) Failed to connect to localhost port 80 after \d+ ms: Couldn't connect to server\r\n$/);
  expect((await d().docker(['exec', 'sc', 'powershell', '-Command', 'Install-WindowsFeature Web-Server'])).code).toBe(0);
  const after = await d().docker(['exec', 'sc', 'curl.exe', '-s', 'http://localhost/']);
  expect(after.stdout).toContain('<title>IIS Windows Server</title>');
  await d().docker(['rm', '-f', 'sc']);
}, 60_000);
