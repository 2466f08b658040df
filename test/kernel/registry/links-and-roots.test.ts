// The predefined keys and the boot-time link keys (CmpCreateControlSet):
// HKLM\SYSTEM\CurrentControlSet → ControlSet00N, Hardware Profiles\Current →
// the current profile, HKCC → that; HKCU → HKU\<user>; HKCR → HKLM\SOFTWARE\Classes.
import { describe, expect, test } from 'vitest';
import { ERROR_ACCESS_DENIED, ERROR_FILE_NOT_FOUND, ERROR_INVALID_PARAMETER } from '../../../src/core/win32.js';
import { createRegistry, Hive, hiveFromSpec, hiveToSpec, serialiseHive } from '../../../src/kernel/registry/index.js';
import { code, dword, machine, sz, systemSpec, USER_SID } from './support.js';

describe('CurrentControlSet', () => {
  test('reads and writes through CurrentControlSet and ControlSet001 reach the same key', () => {
    const { reg } = machine();
    reg.setValue('HKLM\\SYSTEM\\CurrentControlSet\\Services\\CExecSvc', dword('Start', 3));
    expect(reg.getValue('HKLM\\SYSTEM\\ControlSet001\\Services\\CExecSvc', 'Start').data).toBe(3);
    reg.createKey('HKLM\\SYSTEM\\ControlSet001\\Services\\NewSvc');
    expect(reg.enumKeys('HKLM\\SYSTEM\\CurrentControlSet\\Services')).toEqual(['CExecSvc', 'NewSvc', 'W32Time']);
    reg.createKey('hklm\\system\\currentcontrolset\\Services\\Other\\Parameters');
    expect(reg.exists('HKLM\\SYSTEM\\ControlSet001\\Services\\Other\\Parameters')).toBe(true);
    reg.deleteTree('HKLM\\SYSTEM\\CurrentControlSet\\Services\\Other');
    expect(reg.exists('HKLM\\SYSTEM\\ControlSet001\\Services\\Other')).toBe(false);
  });

  test('the link follows SYSTEM\\Select\\Current', () => {
    const reg = createRegistry({ machine: { SYSTEM: { layers: [hiveFromSpec(systemSpec(2))], delta: new Hive() } } });
    expect(reg.enumKeys('HKLM\\SYSTEM\\CurrentControlSet\\Services')).toEqual(['CExecSvc', 'W32Time']);
    expect(reg.exists('HKLM\\SYSTEM\\ControlSet001')).toBe(false);
  });

  test('HKLM\\SYSTEM lists CurrentControlSet among its subkeys, in order, and counts it', () => {
    const { reg } = machine();
    expect(reg.enumKeys('HKLM\\SYSTEM')).toEqual(['ControlSet001', 'CurrentControlSet', 'MountedDevices', 'Select']);
    expect(reg.keyInfo('HKLM\\SYSTEM').subkeys).toBe(4);
    expect(code(() => reg.deleteKey('HKLM\\SYSTEM\\MountedDevices'))).toBe(0);
  });

  test('the link is volatile: it is in no delta, so a commit does not carry it', () => {
    const { reg, deltas } = machine();
    reg.getValue('HKLM\\SYSTEM\\CurrentControlSet\\Services\\CExecSvc', 'Start');
    expect(serialiseHive(deltas.SYSTEM!)).toEqual(serialiseHive(new Hive()));
  });

  test('RegDeleteKey through the link reaches ControlSet001, which has subkeys: ERROR_ACCESS_DENIED', () => {
    const { reg } = machine();
    expect(code(() => reg.deleteKey('HKLM\\SYSTEM\\CurrentControlSet'))).toBe(ERROR_ACCESS_DENIED);
  });

  test('deleteTree through the link deletes the target; the link stays, dangling, and creating through it re-creates the target', () => {
    const { reg } = machine();
    reg.deleteTree('HKLM\\SYSTEM\\CurrentControlSet');
    expect(reg.exists('HKLM\\SYSTEM\\ControlSet001')).toBe(false);
    expect(reg.exists('HKLM\\SYSTEM\\CurrentControlSet')).toBe(false);
    expect(reg.enumKeys('HKLM\\SYSTEM')).toContain('CurrentControlSet');
    expect(reg.createKey('HKLM\\SYSTEM\\CurrentControlSet\\Services')).toEqual({ created: true });
    expect(reg.enumKeys('HKLM\\SYSTEM\\ControlSet001')).toEqual(['Services']);
    // The hardware-profile link under ControlSet001 went with it.
    expect(reg.exists('HKCC')).toBe(false);
  });
});

describe('HKEY_CURRENT_CONFIG', () => {
  test('is Hardware Profiles\\Current, a link to the profile IDConfigDB\\CurrentConfig names', () => {
    const { reg } = machine();
    expect(reg.getValue('HKCC', 'FriendlyName').data).toBe('Profile 1');
    reg.setValue('HKEY_CURRENT_CONFIG', sz('Note', 'x'));
    expect(reg.getValue('HKLM\\SYSTEM\\ControlSet001\\Hardware Profiles\\0001', 'Note').data).toBe('x');
    expect(reg.enumKeys('HKLM\\SYSTEM\\CurrentControlSet\\Hardware Profiles')).toEqual(['0001', 'Current']);
  });

  test('the link holds its parent: RegDeleteKey of Hardware Profiles is ERROR_ACCESS_DENIED even with 0001 gone', () => {
    const { reg } = machine();
    reg.deleteKey('HKLM\\SYSTEM\\ControlSet001\\Hardware Profiles\\0001');
    expect(reg.exists('HKCC')).toBe(false);
    expect(code(() => reg.deleteKey('HKLM\\SYSTEM\\ControlSet001\\Hardware Profiles'))).toBe(ERROR_ACCESS_DENIED);
  });

  test('no IDConfigDB\\CurrentConfig, no link: HKCC does not exist', () => {
    const spec = systemSpec();
    delete spec.keys!.ControlSet001!.keys!.Control;
    const reg = createRegistry({ machine: { SYSTEM: { layers: [hiveFromSpec(spec)] } } });
    expect(reg.exists('HKCC')).toBe(false);
    expect(code(() => reg.enumKeys('HKCC'))).toBe(ERROR_FILE_NOT_FOUND);
  });
});

describe('HKEY_CURRENT_USER, HKEY_USERS, HKEY_CLASSES_ROOT', () => {
  test('HKCU is the current user\'s hive under HKU', () => {
    const { reg } = machine();
    reg.setValue('HKCU\\Environment', sz('Path', 'C:\\bin'));
    expect(reg.getValue(`HKU\\${USER_SID}\\Environment`, 'Path').data).toBe('C:\\bin');
    expect(reg.keyInfo('HKCU').name).toBe(USER_SID);
    expect(reg.enumKeys('HKU')).toEqual(['.DEFAULT', USER_SID]);
  });

  test('without a current user HKCU is HKU\\.DEFAULT (RegOpenCurrentUser\'s fallback)', () => {
    const reg = createRegistry({ machine: {}, users: { '.DEFAULT': { layers: [hiveFromSpec({ keys: { Environment: {} } })] } } });
    expect(reg.enumKeys('HKCU')).toEqual(['Environment']);
  });

  test('HKCR is HKLM\\SOFTWARE\\Classes (HKCU\\Software\\Classes is not merged in)', () => {
    const { reg } = machine();
    expect(reg.getValue('HKCR\\.txt', '').data).toBe('txtfile');
    reg.createKey('HKEY_CLASSES_ROOT\\.log');
    expect(reg.exists('HKLM\\SOFTWARE\\Classes\\.log')).toBe(true);
  });
});

describe('HKLM and HKU themselves', () => {
  test('list their hives in order; keyInfo names them as \\REGISTRY does', () => {
    const { reg } = machine();
    expect(reg.enumKeys('HKLM')).toEqual(['SAM', 'SECURITY', 'SOFTWARE', 'SYSTEM']);
    expect(reg.keyInfo('HKEY_LOCAL_MACHINE')).toMatchObject({ name: 'MACHINE', subkeys: 4, values: 0 });
    expect(reg.keyInfo('HKU')).toMatchObject({ name: 'USER', subkeys: 2 });
    expect(reg.keyInfo('HKLM\\software').name).toBe('SOFTWARE');
  });

  test('creating a key directly under HKLM or HKU is ERROR_INVALID_PARAMETER (CmpParseKey: no creates in the master hive)', () => {
    const { reg } = machine();
    expect(code(() => reg.createKey('HKLM\\NewHive'))).toBe(ERROR_INVALID_PARAMETER);
    expect(code(() => reg.createKey('HKU\\S-1-5-21-1\\Software'))).toBe(ERROR_INVALID_PARAMETER);
    expect(reg.exists('HKLM\\NewHive')).toBe(false);
    expect(reg.createKey('HKLM')).toEqual({ created: false });
    expect(reg.createKey('HKLM\\SOFTWARE')).toEqual({ created: false });
  });

  test('HKLM, HKU and a hive\'s root key cannot be deleted: ERROR_ACCESS_DENIED, nothing deleted', () => {
    const { reg } = machine();
    const before = reg.enumKeys('HKLM\\SOFTWARE');
    for (const p of ['HKLM', 'HKU', 'HKLM\\SOFTWARE', 'HKLM\\SAM', 'HKCU', `HKU\\${USER_SID}`]) {
      expect(code(() => reg.deleteKey(p)), p).toBe(ERROR_ACCESS_DENIED);
      expect(code(() => reg.deleteTree(p)), p).toBe(ERROR_ACCESS_DENIED);
    }
    expect(reg.enumKeys('HKLM\\SOFTWARE')).toEqual(before);
  });

  test('a missing hive under HKLM is ERROR_FILE_NOT_FOUND for reads', () => {
    const { reg } = machine();
    expect(reg.exists('HKLM\\HARDWARE')).toBe(false);
    expect(code(() => reg.enumKeys('HKLM\\HARDWARE'))).toBe(ERROR_FILE_NOT_FOUND);
  });
});

describe('a read-only registry', () => {
  test('refuses every write with ERROR_ACCESS_DENIED and reads as usual', () => {
    const { reg, deltas } = machine({ readOnly: true });
    expect(reg.readOnly).toBe(true);
    const writes: [string, () => unknown][] = [
      ['createKey', () => reg.createKey('HKLM\\SOFTWARE\\New')],
      ['createKey existing', () => reg.createKey('HKLM\\SOFTWARE')],
      ['deleteKey', () => reg.deleteKey('HKLM\\SYSTEM\\MountedDevices')],
      ['deleteTree', () => reg.deleteTree('HKLM\\SOFTWARE\\Microsoft')],
      ['setValue', () => reg.setValue('HKLM\\SOFTWARE', sz('a', 'b'))],
      ['deleteValue', () => reg.deleteValue('HKLM\\SELECT', 'Current')],
    ];
    for (const [what, w] of writes) expect(code(w), what).toBe(ERROR_ACCESS_DENIED);
    expect(reg.getValue('HKLM\\SYSTEM\\Select', 'Current').data).toBe(1);
    expect(hiveToSpec(deltas.SOFTWARE!)).toEqual({});
  });
});
