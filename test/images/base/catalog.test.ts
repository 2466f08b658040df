// The base image catalogue: invariants every entry keeps (issue 6 "Base images").
import { describe, expect, test } from 'vitest';
import {
  BASE_IMAGES,
  computerNameFor,
  containerEnvironment,
  imageOsVersion,
  lookupBaseImage,
  platformsFor,
  splitReference,
  verString,
  versionKeys,
} from '../../../src/images/base/catalog.js';
import { buildForName } from '../../../src/hcs/versions.js';

const ID = '3f2e5d1a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f70';

describe('every image', () => {
  test('its OS version is 10.0.<the build its ltsc tag names>.<UBR>, and a tag names it', () => {
    for (const image of BASE_IMAGES) {
      const v = imageOsVersion(image);
      expect(v.major).toBe(10);
      expect(v.minor).toBe(0);
      expect(v.build).toBe(buildForName(image.release.ltscTag));
      expect(v.revision).toBeGreaterThan(0);
      expect(lookupBaseImage(`${image.repository}:${image.tags[0]}`)).toBe(image);
      expect(image.os).toBe('windows');
      expect(image.architecture).toBe('amd64');
    }
  });

  test('its version keys carry its build: CurrentBuild, CurrentBuildNumber, UBR, major 10, minor 0', () => {
    for (const image of BASE_IMAGES) {
      const k = versionKeys(image);
      const v = imageOsVersion(image);
      expect(k.CurrentBuild).toBe(String(v.build));
      expect(k.CurrentBuildNumber).toBe(String(v.build));
      expect(k.UBR).toBe(v.revision);
      expect(k.CurrentMajorVersionNumber).toBe(10);
      expect(k.CurrentMinorVersionNumber).toBe(0);
      expect(k.BuildLabEx.startsWith(`${v.build}.1.amd64fre.`)).toBe(true);
      expect(k.InstallationType).toBe(image.flavor === 'nanoserver' ? 'Nano Server' : 'Server Core');
    }
  });

  test('its base layers are foreign layers, and the first history entry applies the OS image', () => {
    for (const image of BASE_IMAGES) {
      expect(image.history[0]!.createdBy).toMatch(/^Apply image 10\.0\.\d+\.\d+$/);
      for (const h of image.history.filter((x) => x.createdBy.startsWith('Apply image') || x.createdBy.startsWith('Install update'))) expect(h.foreign).toBe(true);
      expect(image.history[image.history.length - 1]!.created).toBe(image.created);
    }
  });
});

describe('per flavour', () => {
  test('Server Core runs cmd.exe as ContainerAdministrator; its config has no Env', () => {
    const sc = lookupBaseImage('mcr.microsoft.com/windows/servercore:ltsc2022')!;
    expect(sc.config).toMatchObject({ User: '', Env: null, Cmd: ['c:\\windows\\system32\\cmd.exe'], Entrypoint: null });
    expect(sc.defaultUser).toBe('ContainerAdministrator');
    expect(sc.osVersion).toBe('10.0.20348.5499');
    expect(sc.history.map((h) => h.createdBy)).toEqual(['Apply image 10.0.20348.4294', 'Install update 10.0.20348.5499']);
    expect(versionKeys(sc).ProductName).toBe('Windows Server 2022 Datacenter');
  });

  test('Nano Server runs as ContainerUser, one foreign layer, and still calls itself Windows Server 2016 on 2022', () => {
    const nano = lookupBaseImage('mcr.microsoft.com/windows/nanoserver:ltsc2022')!;
    expect(nano.config.User).toBe('ContainerUser');
    expect(nano.defaultUser).toBe('ContainerUser');
    expect(nano.history).toHaveLength(1);
    expect(versionKeys(nano).ProductName).toBe('Windows Server 2016 Datacenter');
  });

  test('IIS starts ServiceMonitor.exe w3svc and exposes 80/tcp', () => {
    for (const tag of ['windowsservercore-ltsc2019', 'windowsservercore-ltsc2022', 'windowsservercore-ltsc2025']) {
      const image = lookupBaseImage(`mcr.microsoft.com/windows/servercore/iis:${tag}`)!;
      expect(image.config.Entrypoint).toEqual(['C:\\ServiceMonitor.exe', 'w3svc']);
      expect(image.config.Cmd).toBeNull();
      expect(image.config.ExposedPorts).toEqual({ '80/tcp': {} });
      expect(image.release.ltscTag).toBe(tag.slice('windowsservercore-'.length));
    }
  });

  test('ver prints the full version', () => {
    expect(verString(lookupBaseImage('mcr.microsoft.com/windows/servercore:ltsc2025')!)).toBe('Microsoft Windows [Version 10.0.26100.33296]');
  });
});

describe('references', () => {
  test('a reference without a tag means latest; servercore and nanoserver have no latest', () => {
    expect(splitReference('mcr.microsoft.com/windows/servercore')).toEqual({ repository: 'mcr.microsoft.com/windows/servercore', tag: 'latest' });
    expect(splitReference('localhost:5000/x')).toEqual({ repository: 'localhost:5000/x', tag: 'latest' });
    expect(lookupBaseImage('mcr.microsoft.com/windows/servercore')).toBeUndefined();
    expect(lookupBaseImage('mcr.microsoft.com/windows/nanoserver:latest')).toBeUndefined();
  });

  test('1809 and the full OS version are tags too', () => {
    expect(lookupBaseImage('mcr.microsoft.com/windows/servercore:1809')?.osVersion).toBe('10.0.17763.6659');
    expect(lookupBaseImage('mcr.microsoft.com/windows/nanoserver:10.0.26100.33158')?.release.build).toBe(26100);
  });

  test("IIS latest is a manifest list: the host's own build is picked, newer ones skipped", () => {
    const ref = 'mcr.microsoft.com/windows/servercore/iis:latest';
    expect(platformsFor(ref).map((p) => p.release.build)).toEqual([26100, 20348, 17763]);
    expect(lookupBaseImage(ref, 26100)?.release.build).toBe(26100);
    expect(lookupBaseImage(ref, 20348)?.release.build).toBe(20348);
    expect(lookupBaseImage(ref, 17763)?.release.build).toBe(17763);
    expect(lookupBaseImage('mcr.microsoft.com/windows/servercore/iis', 20348)?.release.build).toBe(20348);
    // A 23H2 host has no entry of its own build: the first entry not newer than it.
    expect(lookupBaseImage(ref, 25398)?.release.build).toBe(20348);
    expect(lookupBaseImage(ref, 14393)).toBeUndefined();
  });
});

describe('the environment a process sees', () => {
  test('COMPUTERNAME is the short container id in capitals', () => {
    const sc = lookupBaseImage('mcr.microsoft.com/windows/servercore:ltsc2022')!;
    const env = Object.fromEntries(containerEnvironment(sc, { containerId: ID }).map((e) => [e.name, e.value]));
    expect(env['COMPUTERNAME']).toBe('3F2E5D1A6B7C');
    expect(computerNameFor('my-very-long-hostname')).toBe('MY-VERY-LONG-HO');
  });

  test('Server Core: ContainerAdministrator in User Manager, the Server Core Path and PATHEXT', () => {
    const sc = lookupBaseImage('mcr.microsoft.com/windows/servercore:ltsc2022')!;
    const env = Object.fromEntries(containerEnvironment(sc, { containerId: ID }).map((e) => [e.name, e.value]));
    expect(env).toMatchObject({
      ALLUSERSPROFILE: 'C:\\ProgramData',
      APPDATA: 'C:\\Users\\ContainerAdministrator\\AppData\\Roaming',
      ComSpec: 'C:\\Windows\\system32\\cmd.exe',
      LOCALAPPDATA: 'C:\\Users\\ContainerAdministrator\\AppData\\Local',
      OS: 'Windows_NT',
      Path: 'C:\\Windows\\system32;C:\\Windows;C:\\Windows\\System32\\Wbem;C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\;C:\\Windows\\System32\\OpenSSH\\;C:\\Users\\ContainerAdministrator\\AppData\\Local\\Microsoft\\WindowsApps',
      PATHEXT: '.COM;.EXE;.BAT;.CMD;.VBS;.VBE;.JS;.JSE;.WSF;.WSH;.MSC',
      PROCESSOR_ARCHITECTURE: 'AMD64',
      PROMPT: '$P$G',
      PSModulePath: '%ProgramFiles%\\WindowsPowerShell\\Modules;C:\\Windows\\system32\\WindowsPowerShell\\v1.0\\Modules',
      PUBLIC: 'C:\\Users\\Public',
      SystemDrive: 'C:',
      SystemRoot: 'C:\\Windows',
      TEMP: 'C:\\Users\\ContainerAdministrator\\AppData\\Local\\Temp',
      TMP: 'C:\\Users\\ContainerAdministrator\\AppData\\Local\\Temp',
      USERDOMAIN: 'User Manager',
      USERNAME: 'ContainerAdministrator',
      USERPROFILE: 'C:\\Users\\ContainerAdministrator',
      windir: 'C:\\Windows',
    });
  });

  test('Nano Server: ContainerUser, a short Path, four PATHEXT extensions, no PSModulePath', () => {
    const nano = lookupBaseImage('mcr.microsoft.com/windows/nanoserver:ltsc2022')!;
    const env = Object.fromEntries(containerEnvironment(nano, { containerId: ID }).map((e) => [e.name, e.value]));
    expect(env['USERNAME']).toBe('ContainerUser');
    expect(env['Path']).toBe('C:\\Windows\\system32;C:\\Windows;C:\\Users\\ContainerUser\\AppData\\Local\\Microsoft\\WindowsApps');
    expect(env['PATHEXT']).toBe('.COM;.EXE;.BAT;.CMD');
    expect(env['PSModulePath']).toBeUndefined();
  });

  test('the block is sorted case-insensitively, as set lists it', () => {
    const sc = lookupBaseImage('mcr.microsoft.com/windows/servercore:ltsc2019')!;
    const names = containerEnvironment(sc, { containerId: ID, cpu: { count: 8, identifier: 'x', level: 6, revision: '3e04' } }).map((e) => e.name);
    expect(names.slice(0, 9)).toEqual(['ALLUSERSPROFILE', 'APPDATA', 'CommonProgramFiles', 'CommonProgramFiles(x86)', 'CommonProgramW6432', 'COMPUTERNAME', 'ComSpec', 'LOCALAPPDATA', 'NUMBER_OF_PROCESSORS']);
    expect(names.slice(-5)).toEqual(['TMP', 'USERDOMAIN', 'USERNAME', 'USERPROFILE', 'windir']);
  });
});
