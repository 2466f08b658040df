// The base images' registry hives as HiveKeySpec data (issue 6 "Base images", windows-facts §4).
import { describe, expect, test } from 'vitest';
import { REG_DWORD, REG_EXPAND_SZ, REG_SZ, type HiveKeySpec, type RegistryValue } from '../../../src/kernel/registry/types.js';
import { containerEnvironment, lookupBaseImage, type BaseImageSpec } from '../../../src/images/base/catalog.js';
import { CURRENT_CONTROL_SET_LINK, defaultHive, imageHives, systemHive } from '../../../src/images/base/hives.js';

/** The key at `path` (backslash-separated, case-insensitive) in a hive. */
function key(hive: HiveKeySpec, path: string): HiveKeySpec {
  let k = hive;
  for (const part of path.split('\\')) {
    const name = Object.keys(k.keys ?? {}).find((n) => n.toUpperCase() === part.toUpperCase());
    if (name === undefined) throw new Error(`no key ${part} in ${path}`);
    k = k.keys![name]!;
  }
  return k;
}

function value(hive: HiveKeySpec, path: string, name: string): RegistryValue {
  const v = key(hive, path).values?.find((x) => x.name.toUpperCase() === name.toUpperCase());
  if (!v) throw new Error(`no value ${name} in ${path}`);
  return v;
}

const hivesOf = (ref: string) => {
  const image = lookupBaseImage(ref)!;
  return { image, hives: imageHives(image, { computerName: '3F2E5D1A6B7C' }) };
};

describe('SOFTWARE: the version keys', () => {
  for (const ref of ['mcr.microsoft.com/windows/servercore:ltsc2019', 'mcr.microsoft.com/windows/nanoserver:ltsc2022', 'mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2025']) {
    test(`${ref}: CurrentBuild, CurrentBuildNumber, UBR (REG_DWORD) and the major/minor numbers match the image`, () => {
      const { image, hives } = hivesOf(ref);
      const [, , build, ubr] = image.osVersion.split('.').map(Number);
      const cv = 'Microsoft\\Windows NT\\CurrentVersion';
      expect(value(hives.SOFTWARE, cv, 'CurrentBuild')).toEqual({ name: 'CurrentBuild', type: REG_SZ, data: String(build) });
      expect(value(hives.SOFTWARE, cv, 'CurrentBuildNumber').data).toBe(String(build));
      expect(value(hives.SOFTWARE, cv, 'UBR')).toEqual({ name: 'UBR', type: REG_DWORD, data: ubr });
      expect(value(hives.SOFTWARE, cv, 'CurrentMajorVersionNumber')).toEqual({ name: 'CurrentMajorVersionNumber', type: REG_DWORD, data: 10 });
      expect(value(hives.SOFTWARE, cv, 'CurrentMinorVersionNumber').data).toBe(0);
      expect(value(hives.SOFTWARE, cv, 'InstallationType').data).toBe(image.flavor === 'nanoserver' ? 'Nano Server' : 'Server Core');
    });
  }

  test('DisplayVersion exists from 2022 on; 1809 has only ReleaseId', () => {
    expect(() => value(hivesOf('mcr.microsoft.com/windows/servercore:ltsc2019').hives.SOFTWARE, 'Microsoft\\Windows NT\\CurrentVersion', 'DisplayVersion')).toThrow();
    expect(value(hivesOf('mcr.microsoft.com/windows/servercore:ltsc2022').hives.SOFTWARE, 'Microsoft\\Windows NT\\CurrentVersion', 'DisplayVersion').data).toBe('21H2');
  });

  test('Program Files locations come from Windows\\CurrentVersion', () => {
    const { hives } = hivesOf('mcr.microsoft.com/windows/servercore:ltsc2022');
    expect(value(hives.SOFTWARE, 'Microsoft\\Windows\\CurrentVersion', 'ProgramFilesDir').data).toBe('C:\\Program Files');
    expect(value(hives.SOFTWARE, 'Microsoft\\Windows\\CurrentVersion', 'ProgramFilesDir (x86)').data).toBe('C:\\Program Files (x86)');
  });

  test('IIS adds InetStp 10.0 and its services; Server Core has neither', () => {
    const { hives } = hivesOf('mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022');
    expect(value(hives.SOFTWARE, 'Microsoft\\InetStp', 'MajorVersion')).toEqual({ name: 'MajorVersion', type: REG_DWORD, data: 10 });
    expect(value(hives.SOFTWARE, 'Microsoft\\InetStp', 'MinorVersion').data).toBe(0);
    expect(value(hives.SOFTWARE, 'Microsoft\\InetStp', 'SetupString').data).toBe('IIS 10.0');
    expect(value(hives.SOFTWARE, 'Microsoft\\InetStp', 'PathWWWRoot')).toEqual({ name: 'PathWWWRoot', type: REG_EXPAND_SZ, data: '%SystemDrive%\\inetpub\\wwwroot' });
    expect(value(hives.SYSTEM, 'ControlSet001\\Services\\W3SVC', 'DisplayName').data).toBe('World Wide Web Publishing Service');
    expect(value(hives.SYSTEM, 'ControlSet001\\Services\\W3SVC', 'DependOnService').data).toEqual(['WAS', 'HTTP']);
    expect(value(hives.SYSTEM, 'ControlSet001\\Services\\WAS', 'Start').data).toBe(3);
    const sc = hivesOf('mcr.microsoft.com/windows/servercore:ltsc2022').hives;
    expect(() => key(sc.SOFTWARE, 'Microsoft\\InetStp')).toThrow();
    expect(() => key(sc.SYSTEM, 'ControlSet001\\Services\\W3SVC')).toThrow();
  });

  test('Nano Server has no Windows PowerShell engine key', () => {
    expect(() => key(hivesOf('mcr.microsoft.com/windows/nanoserver:ltsc2025').hives.SOFTWARE, 'Microsoft\\PowerShell')).toThrow();
    expect(() => key(hivesOf('mcr.microsoft.com/windows/servercore:ltsc2025').hives.SOFTWARE, 'Microsoft\\PowerShell\\3\\PowerShellEngine')).not.toThrow();
  });
});

describe('SYSTEM', () => {
  test('Select\\Current is 1 and CurrentControlSet is left to the boot-time link', () => {
    const { hives } = hivesOf('mcr.microsoft.com/windows/servercore:ltsc2022');
    expect(value(hives.SYSTEM, 'Select', 'Current')).toEqual({ name: 'Current', type: REG_DWORD, data: 1 });
    expect(() => key(hives.SYSTEM, 'CurrentControlSet')).toThrow();
    expect(CURRENT_CONTROL_SET_LINK.target).toBe('\\Registry\\Machine\\SYSTEM\\ControlSet001');
  });

  test('the computer name is the one given, in both ComputerName keys', () => {
    const { hives } = hivesOf('mcr.microsoft.com/windows/servercore:ltsc2022');
    expect(value(hives.SYSTEM, 'ControlSet001\\Control\\ComputerName\\ComputerName', 'ComputerName').data).toBe('3F2E5D1A6B7C');
    expect(value(hives.SYSTEM, 'ControlSet001\\Control\\ComputerName\\ActiveComputerName', 'ComputerName').data).toBe('3F2E5D1A6B7C');
  });

  test("the image's services (the service catalogue) are written with their Type, Start and ImagePath (REG_EXPAND_SZ)", () => {
    const { hives } = hivesOf('mcr.microsoft.com/windows/nanoserver:ltsc2022');
    expect(value(hives.SYSTEM, 'ControlSet001\\Services\\CExecSvc', 'Type').data).toBe(0x10);
    expect(value(hives.SYSTEM, 'ControlSet001\\Services\\CExecSvc', 'Start').data).toBe(2);
    expect(value(hives.SYSTEM, 'ControlSet001\\Services\\CExecSvc', 'ImagePath').type).toBe(REG_EXPAND_SZ);
  });

  test("the system environment, expanded, agrees with the catalogue's environment", () => {
    for (const ref of ['mcr.microsoft.com/windows/servercore:ltsc2022', 'mcr.microsoft.com/windows/nanoserver:ltsc2019']) {
      const image: BaseImageSpec = lookupBaseImage(ref)!;
      const hive = systemHive(image, { computerName: 'X', services: {} });
      const env = Object.fromEntries(containerEnvironment(image, { containerId: 'x' }).map((e) => [e.name.toUpperCase(), e.value]));
      for (const v of key(hive, 'ControlSet001\\Control\\Session Manager\\Environment').values!) {
        const name = v.name.toUpperCase();
        if (['TEMP', 'TMP', 'USERNAME', 'PATH'].includes(name)) continue; // the user's replace these
        const expanded = String(v.data).replace(/%SystemRoot%/gi, 'C:\\Windows');
        expect(env[name], v.name).toBe(expanded);
      }
    }
  });
});

describe('DEFAULT and the user hive', () => {
  test('HKU\\.DEFAULT\\Environment has TEMP and TMP under %USERPROFILE% as REG_EXPAND_SZ', () => {
    const h = defaultHive();
    for (const name of ['TEMP', 'TMP']) {
      expect(value(h, 'Environment', name)).toEqual({ name, type: REG_EXPAND_SZ, data: '%USERPROFILE%\\AppData\\Local\\Temp' });
    }
    expect(value(h, 'Control Panel\\International', 'LocaleName').data).toBe('en-US');
  });

  test("the user's Path is the WindowsApps folder under the profile", () => {
    const { hives } = hivesOf('mcr.microsoft.com/windows/servercore:ltsc2022');
    expect(value(hives.USER, 'Environment', 'Path')).toEqual({ name: 'Path', type: REG_EXPAND_SZ, data: '%USERPROFILE%\\AppData\\Local\\Microsoft\\WindowsApps' });
  });

  test('SAM names the container accounts', () => {
    const { hives } = hivesOf('mcr.microsoft.com/windows/servercore:ltsc2022');
    const names = Object.keys(key(hives.SAM, 'SAM\\Domains\\Account\\Users\\Names').keys!);
    expect(names).toContain('ContainerAdministrator');
    expect(names).toContain('ContainerUser');
  });

  test('building the hives twice gives equal data', () => {
    expect(hivesOf('mcr.microsoft.com/windows/servercore/iis:latest').hives).toEqual(hivesOf('mcr.microsoft.com/windows/servercore/iis:latest').hives);
  });
});
