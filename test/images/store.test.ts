// The image store (issue 6 "Base images"): synthesized base images are the
// same bytes and digests on every machine and in both block stores, share
// their layers by digest, hold what their catalogue entry says, and a pull
// of anything else answers as docker's daemon does.
import { describe, expect, test } from 'vitest';
import { RefBlockStore, WasmBlockStore } from '../../src/core/blocks/index.js';
import { mountVolume } from '../../src/kernel/fs/index.js';
import { createRegistry, Hive } from '../../src/kernel/registry/index.js';
import { ImageStore } from '../../src/images/store.js';
import { HostError } from '../../src/host/errors.js';
import { parseOsVersion } from '../../src/hcs/versions.js';

const HOST = parseOsVersion('10.0.20348.5499')!;
const SERVERCORE = 'mcr.microsoft.com/windows/servercore:ltsc2022';
const IIS = 'mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022';

describe('synthesized base images', () => {
  test('the same image id and layer digests from the WASM and the reference store, pulled twice', () => {
    const a = new ImageStore(new WasmBlockStore(), HOST).pull(SERVERCORE).image;
    const b = new ImageStore(new RefBlockStore(), HOST).pull(SERVERCORE).image;
    expect(a.id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(b.id).toBe(a.id);
    expect(b.layers.map((l) => l.diffId)).toEqual(a.layers.map((l) => l.diffId));
  });

  test('Server Core has its two foreign layers; IIS reuses them and adds one; the second pull makes nothing', () => {
    const store = new ImageStore(new WasmBlockStore(), HOST);
    const sc = store.pull(SERVERCORE);
    expect(sc.layers.map((l) => [l.layer.foreign, l.existed])).toEqual([[true, false], [true, false]]);
    const iis = store.pull(IIS);
    expect(iis.layers.map((l) => l.existed)).toEqual([true, true, false]);
    expect(iis.image.layers.slice(0, 2)).toEqual(sc.image.layers);
    expect(store.pull(SERVERCORE).downloaded).toBe(false);
    expect(store.list().map((i) => i.repoTags)).toEqual([[SERVERCORE], [IIS]]);
  });

  test("a clone of the top layer is the image's C: and its hives carry the version keys", () => {
    const blocks = new WasmBlockStore();
    const image = new ImageStore(blocks, HOST).pull(IIS).image;
    const top = image.layers[image.layers.length - 1]!;
    const c = mountVolume(blocks, blocks.clone(top.disk).disk);
    expect(c.list('\\').map((f) => f.name)).toEqual(['Documents and Settings', 'inetpub', 'License.txt', 'Program Files', 'Program Files (x86)', 'ProgramData', 'ServiceMonitor.exe', 'Users', 'Windows']);
    expect(c.stat('\\inetpub\\wwwroot\\iisstart.htm').size).toBeGreaterThan(0);
    const stack = (name: 'SYSTEM' | 'SOFTWARE') => ({ layers: image.layers.flatMap((l) => (l.hives[name] ? [l.hives[name]!] : [])), delta: new Hive() });
    const reg = createRegistry({ machine: { SYSTEM: stack('SYSTEM'), SOFTWARE: stack('SOFTWARE') } });
    expect(reg.getValue('HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion', 'CurrentBuild').data).toBe('20348');
    expect(reg.getValue('HKLM\\SOFTWARE\\Microsoft\\InetStp', 'MajorVersion').data).toBe(10);
    expect(reg.exists('HKLM\\SYSTEM\\CurrentControlSet\\Services\\W3SVC')).toBe(true);
    expect(reg.exists('HKLM\\SYSTEM\\CurrentControlSet\\Services\\CExecSvc')).toBe(true);
  });

  test('image sizes are what the layers store', () => {
    const store = new ImageStore(new WasmBlockStore(), HOST);
    const image = store.pull(SERVERCORE).image;
    expect(ImageStore.size(image)).toBe(image.layers[0]!.size + image.layers[1]!.size);
    expect(ImageStore.size(image)).toBeGreaterThan(1_000_000);
  });
});

describe('references and pull errors (the daemon’s messages)', () => {
  const store = new ImageStore(new WasmBlockStore(), HOST);
  store.pull(SERVERCORE);

  test('a reference resolves by repository:tag and by a unique id prefix', () => {
    const image = store.resolve(SERVERCORE)!;
    expect(store.resolve(image.id)).toBe(image);
    expect(store.resolve(image.id.slice(7, 19))).toBe(image);
    expect(store.resolve('mcr.microsoft.com/windows/servercore')).toBeUndefined(); // latest: no such tag
  });

  test.each([
    ['mcr.microsoft.com/windows/servercore:nosuchtag', 404, 'manifest for mcr.microsoft.com/windows/servercore:nosuchtag not found: manifest unknown: manifest tagged by "nosuchtag" is not found'],
    ['example/app', 404, "pull access denied for example/app, repository does not exist or may require 'docker login': denied: requested access to the resource is denied"],
    ['mcr.microsoft.com/windows/servercore:ltsc2025', 500, 'a Windows version 10.0.26100-based image is incompatible with a 10.0.20348 host'],
  ])('%s: %i %s', (ref, status, message) => {
    let err: unknown;
    try {
      store.pull(ref);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(HostError);
    expect(err).toMatchObject({ status, message });
  });
});
