// The base images' file trees and their generator (issue 6 "Base images").
import { describe, expect, test } from 'vitest';
import {
  FILE_ATTRIBUTE_HIDDEN,
  FILE_ATTRIBUTE_READONLY,
  FILE_ATTRIBUTE_REPARSE_POINT,
  FILE_ATTRIBUTE_SYSTEM,
  IO_REPARSE_TAG_MOUNT_POINT,
  IO_REPARSE_TAG_SYMLINK,
} from '../../../src/kernel/fs/types.js';
import { BASE_IMAGES, catalogTime, lookupBaseImage } from '../../../src/images/base/catalog.js';
import { imageTreeSpec, populateImageTree, treeClockFor } from '../../../src/images/base/tree.js';
import { WasmBlockStore } from '../../../src/core/blocks/index.js';
import { formatVolume, type NtfsVolume } from '../../../src/kernel/fs/index.js';

/** A whole file's bytes, read through the volume. */
function contents(v: NtfsVolume, path: string): Uint8Array {
  const h = v.open(path, { disposition: 'open', read: true });
  try {
    const out = new Uint8Array(h.info().size);
    h.read(0, out);
    return out;
  } finally {
    h.close();
  }
}

/** A fresh NTFS volume on a 20 GiB disk of its own store, its clock fixed. */
function ntfs(): { volume: NtfsVolume; store: WasmBlockStore; disk: number } {
  const store = new WasmBlockStore();
  const disk = store.createDisk(20 * 2 ** 30).disk;
  return { volume: formatVolume(store, disk, { clock: () => 0 }), store, disk };
}

function built(reference: string) {
  const image = lookupBaseImage(reference)!;
  const spec = imageTreeSpec(image);
  const { volume } = ntfs();
  const stats = populateImageTree(volume, spec, treeClockFor(image));
  return { image, spec, volume, stats };
}

const servercore = built('mcr.microsoft.com/windows/servercore:ltsc2022');
const nanoserver = built('mcr.microsoft.com/windows/nanoserver:ltsc2022');
const iis = built('mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022');

const visible = (v: NtfsVolume, path: string) =>
  v.list(path).filter((e) => (e.attributes & (FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM)) === 0).map((e) => e.name);

describe('what dir C:\\ shows', () => {
  test('Server Core: License.txt, Program Files, Program Files (x86), Users, Windows — ProgramData is hidden', () => {
    expect(visible(servercore.volume, '\\')).toEqual(['License.txt', 'Program Files', 'Program Files (x86)', 'Users', 'Windows']);
    expect(servercore.volume.stat('\\ProgramData').attributes & FILE_ATTRIBUTE_HIDDEN).toBeTruthy();
  });

  test('License.txt is 5,510 bytes on Server Core and dated the release RTM', () => {
    const info = servercore.volume.stat('\\License.txt');
    expect(info.size).toBe(5510);
    expect(info.lastWriteTime).toBe(catalogTime(servercore.image.release.rtmTime));
  });

  test('directories carry the image build time', () => {
    expect(servercore.volume.stat('\\Windows').lastWriteTime).toBe(catalogTime('2026-08-09T04:19:26Z'));
  });

  test('Documents and Settings is a hidden system junction to C:\\Users; All Users a symbolic link to C:\\ProgramData', () => {
    const das = servercore.volume.stat('\\Documents and Settings', { openReparsePoint: true });
    expect(das.attributes & (FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM | FILE_ATTRIBUTE_REPARSE_POINT)).toBe(FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM | FILE_ATTRIBUTE_REPARSE_POINT);
    expect(das.reparse).toEqual({ tag: IO_REPARSE_TAG_MOUNT_POINT, substituteName: '\\??\\C:\\Users', printName: 'C:\\Users', relative: false });
    expect(servercore.volume.stat('\\Users\\All Users', { openReparsePoint: true }).reparse?.tag).toBe(IO_REPARSE_TAG_SYMLINK);
    expect(servercore.volume.stat('\\Users\\Public').attributes & FILE_ATTRIBUTE_READONLY).toBeTruthy();
  });
});

describe('System32 holds the programs the shell provides', () => {
  const brief = ['cmd.exe', 'tasklist.exe', 'sc.exe', 'reg.exe', 'net.exe', 'ipconfig.exe', 'HOSTNAME.EXE', 'whoami.exe', 'where.exe', 'findstr.exe', 'find.exe', 'sort.exe', 'more.com', 'xcopy.exe', 'attrib.exe', 'timeout.exe', 'choice.exe', 'taskkill.exe', 'PING.EXE', 'netsh.exe', 'certutil.exe', 'Robocopy.exe', 'icacls.exe', 'systeminfo.exe', 'curl.exe', 'tar.exe'];

  test('Server Core has every one, and Windows PowerShell', () => {
    for (const name of brief) expect(servercore.volume.stat(`\\Windows\\System32\\${name}`).name).toBe(name);
    expect(servercore.volume.stat('\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe').size).toBeGreaterThan(400_000);
    expect(servercore.volume.stat('\\Windows\\SysWOW64\\cmd.exe').size).toBeGreaterThan(0);
  });

  test('Nano Server has cmd but no PowerShell, no tasklist, no systeminfo, no SysWOW64', () => {
    expect(nanoserver.volume.stat('\\Windows\\System32\\cmd.exe').size).toBeGreaterThan(0);
    for (const gone of ['\\Windows\\System32\\WindowsPowerShell', '\\Windows\\System32\\tasklist.exe', '\\Windows\\System32\\systeminfo.exe', '\\Windows\\SysWOW64']) {
      expect(() => nanoserver.volume.stat(gone)).toThrow(/cannot find/);
    }
  });

  test('programs are PE images: MZ, the DOS stub, PE\\0\\0 and the AMD64 machine; 32-bit copies are i386', () => {
    const cmd = contents(servercore.volume, '\\Windows\\System32\\cmd.exe');
    expect(String.fromCharCode(cmd[0]!, cmd[1]!)).toBe('MZ');
    expect(new TextDecoder().decode(cmd.subarray(0x4e, 0x4e + 39))).toBe('This program cannot be run in DOS mode.');
    expect([...cmd.subarray(0x80, 0x86)]).toEqual([0x50, 0x45, 0, 0, 0x64, 0x86]);
    expect(cmd.length).toBe(servercore.volume.stat('\\Windows\\System32\\cmd.exe').size);
    const wow = contents(servercore.volume, '\\Windows\\SysWOW64\\cmd.exe');
    expect([...wow.subarray(0x84, 0x86)]).toEqual([0x4c, 0x01]);
  });

  test('the default user has a profile: ContainerAdministrator on Server Core, ContainerUser on Nano Server', () => {
    expect(servercore.volume.stat('\\Users\\ContainerAdministrator\\AppData\\Local\\Temp').name).toBe('Temp');
    expect(nanoserver.volume.stat('\\Users\\ContainerUser\\AppData\\Local\\Microsoft\\WindowsApps').name).toBe('WindowsApps');
  });
});

describe('IIS adds its site and ServiceMonitor', () => {
  test('iisstart.htm is titled "IIS Windows Server" and shows iisstart.png; ServiceMonitor.exe is at C:\\', () => {
    const html = new TextDecoder().decode(contents(iis.volume, '\\inetpub\\wwwroot\\iisstart.htm'));
    expect(html).toContain('<title>IIS Windows Server</title>');
    expect(html).toContain('src="iisstart.png"');
    const png = contents(iis.volume, '\\inetpub\\wwwroot\\iisstart.png');
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(iis.volume.stat('\\ServiceMonitor.exe').size).toBeGreaterThan(0);
    expect(iis.volume.stat('\\Windows\\System32\\inetsrv\\w3wp.exe').size).toBeGreaterThan(0);
  });

  test('the IIS layer carries the IIS image time; the OS files keep theirs', () => {
    expect(iis.volume.stat('\\inetpub\\wwwroot\\iisstart.htm').lastWriteTime).toBe(catalogTime(iis.image.created));
    expect(iis.volume.stat('\\Windows').lastWriteTime).toBe(catalogTime('2026-08-09T04:19:26Z'));
  });
});

describe('size of the trees', () => {
  test('Server Core stays under a few thousand entries; Nano Server in the hundreds', () => {
    for (const image of BASE_IMAGES) {
      const n = imageTreeSpec(image).entries.length;
      if (image.flavor === 'nanoserver') {
        expect(n).toBeGreaterThanOrEqual(100);
        expect(n).toBeLessThan(1000);
      } else {
        expect(n).toBeGreaterThan(500);
        expect(n).toBeLessThan(3000);
      }
    }
  });

  test('only headers and texts are written: the rest of each file is unwritten space', () => {
    expect(servercore.stats.bytesWritten).toBeLessThan(1_000_000);
    expect(servercore.stats.logicalBytes).toBeGreaterThan(100_000_000);
    expect(servercore.stats.files + servercore.stats.directories + servercore.stats.reparsePoints).toBe(servercore.spec.entries.length);
  });
});

describe('determinism', () => {
  test('generating twice gives the same spec and the same disk bytes', () => {
    for (const image of BASE_IMAGES) {
      const a = imageTreeSpec(image);
      const b = imageTreeSpec(image);
      expect(b).toEqual(a);
      const va = ntfs();
      const vb = ntfs();
      populateImageTree(va.volume, a, treeClockFor(image));
      populateImageTree(vb.volume, b, treeClockFor(image));
      expect(Buffer.from(vb.store.exportDelta(vb.disk, 0).delta).equals(Buffer.from(va.store.exportDelta(va.disk, 0).delta))).toBe(true);
    }
  });

  test('parents come before children and no name repeats (case-insensitively)', () => {
    for (const image of BASE_IMAGES) {
      const seen = new Set<string>();
      for (const e of imageTreeSpec(image).entries) {
        const parent = e.path.slice(0, e.path.lastIndexOf('\\'));
        if (parent !== '') expect(seen.has(parent.toUpperCase()), `${e.path} before its parent`).toBe(true);
        expect(seen.has(e.path.toUpperCase())).toBe(false);
        seen.add(e.path.toUpperCase());
      }
    }
  });
});
