// dism.exe's online feature servicing as IIS Dockerfiles use it: enabling
// IIS features installs IIS (Get-WindowsFeature and the SCM see it), parents
// need /All, and DISM's errors with their codes.
import { describe, expect, test } from 'vitest';
import { run } from '../support.js';

const banner = (ver: string) => ['', 'Deployment Image Servicing and Management tool', `Version: ${ver}`, ''];
const version = async () => (await run(['cmd', '/c', 'ver'])).stdout.match(/Version ([\d.]+)/)![1]!;

describe('dism /online /enable-feature', () => {
  test('Microsoft’s IIS recipe: /all /featurename:iis-webserver installs IIS; W3SVC runs; Get-WindowsFeature shows Web-Server', async () => {
    const ver = await version();
    const r = await run(['cmd', '/c', 'dism.exe /online /enable-feature /all /featurename:iis-webserver /NoRestart & sc query w3svc | findstr STATE & powershell -Command (Get-WindowsFeature Web-Server).InstallState & dir /b C:\\inetpub\\wwwroot & if exist C:\\inetpub\\custerr\\en-US\\404.htm echo custerr']);
    expect(r.stdout).toBe(
      [...banner(ver), `Image Version: ${ver}`, '', 'Enabling feature(s)', '[==========================100.0%==========================]', 'The operation completed successfully.', '        STATE              : 4  RUNNING ', 'Installed', 'iisstart.htm', 'iisstart.png', 'custerr', ''].join('\r\n'),
    );
  });

  test('a feature whose parent is off needs /All (error 50); an unknown name is 0x800f080c; no /Online is an unknown option (87)', async () => {
    const ver = await version();
    const parent = await run(['dism', '/online', '/enable-feature', '/featurename:IIS-StaticContent']);
    expect(parent.stdout).toBe([...banner(ver), `Image Version: ${ver}`, '', '', 'Error: 50', '', 'One or several parent features are disabled so current feature can not be enabled.', '', 'The DISM log file can be found at C:\\Windows\\Logs\\DISM\\dism.log', '', ''].join('\r\n'));
    expect(parent.exitCode).toBe(50);
    const unknown = await run(['dism', '/online', '/enable-feature', '/featurename:Foo']);
    expect(unknown.stdout).toContain('Error: 0x800f080c\r\n\r\nFeature name Foo is unknown.\r\nA Windows feature name was not recognized.\r\nUse the /Get-Features option to find the name of the feature in the image and try the command again.\r\n');
    expect(unknown.exitCode).toBe(0x800f080c);
    const noTarget = await run(['dism', '/enable-feature', '/featurename:IIS-WebServerRole']);
    expect(noTarget.stdout).toBe([...banner(ver), '', 'Error: 87', '', 'The enable-feature option is unknown.', 'For more information, refer to the help by running DISM.exe /?.', '', 'The DISM log file can be found at C:\\Windows\\Logs\\DISM\\dism.log', '', ''].join('\r\n'));
    expect(noTarget.exitCode).toBe(87);
  });

  test('/Quiet prints nothing on success', async () => {
    expect(await run(['dism', '/online', '/enable-feature', '/featurename:NetFx4ServerFeatures', '/quiet'])).toEqual({ stdout: '\r\n'.repeat(0), stderr: '', exitCode: 0 });
  });
});
