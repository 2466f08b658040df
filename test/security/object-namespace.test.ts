// Escapes through the object manager namespace (windows-facts §1–2): a
// process in one container — with every privilege a container's SYSTEM
// could hold — tries to name the host's objects or another container's.
// Every lookup it makes starts at its own `\Silos\<id>` root; a global
// link (STATUS_REPARSE_GLOBAL, the 2020–2021 escape class) is refused; `..`
// is an ordinary name; the reparse budget ends loops.
import { beforeAll, describe, expect, test } from 'vitest';
import * as S from '../../src/core/ntstatus.js';
import { NtStatusError } from '../../src/core/errors.js';
import {
  ALL_PRIVILEGES,
  OBJ_CASE_INSENSITIVE,
  OBJ_OPENLINK,
  OB_LIMITS,
  ObjectType as T,
  type ObjectNamespace,
} from '../../src/core/ob/index.js';
import { ERROR_FILE_NOT_FOUND, ERROR_PATH_NOT_FOUND, Win32Error } from '../../src/core/win32.js';
import type { Container } from '../../src/host/host.js';
import type { Kernel } from '../../src/kernel/process/kernel.js';
import type { Silo } from '../../src/kernel/silo/index.js';
import fc from 'fast-check';
import { SEED, trials } from '../support/budget.js';
import { recordReliability } from '../support/reliability.js';
import { lab, record, type Lab } from './support.js';

const SUITE = 'object namespace';
const CI = OBJ_CASE_INSENSITIVE;

let l: Lab;
let kernel: Kernel;
let ob: ObjectNamespace;
let me: Silo;
let other: Silo;
/** A process context in the attacker's silo holding every privilege (SeTcb, SeCreatePermanent): the strongest a container gets. */
let p: number;
/** The host's own view, to check where things landed. */
let host: number;
/** A host object every attempt tries to reach: finding it is an escape. */
const HOST_SECRET = '\\BaseNamedObjects\\HostSecret';
let neighbourSecret: string;

beforeAll(async () => {
  l = await lab();
  kernel = l.host.kernel;
  ob = kernel.ob;
  me = l.attacker.computeSystem!.silo!;
  other = l.neighbour.computeSystem!.silo!;
  p = ob.createProcess(me.id, me.sessionId, ALL_PRIVILEGES).process;
  host = ob.createProcess(0, 0, ALL_PRIVILEGES).process;
  expect(p).not.toBe(0);
  const hs = ob.create(host, T.Event, { name: HOST_SECRET, attributes: CI });
  expect(hs.status).toBe(S.STATUS_SUCCESS);
  neighbourSecret = `\\Sessions\\${other.sessionId}\\BaseNamedObjects\\NeighbourSecret`;
  const ns = ob.create(host, T.Event, { name: `\\Silos\\${other.id}${neighbourSecret}`, attributes: CI });
  expect(ns.status).toBe(S.STATUS_SUCCESS);
});

/** Opens `name` from inside the attacker; an escape is any success whose object is not the attacker's own. */
function attempt(name: string, expected: number, options: { root?: number; attributes?: number } = {}): void {
  const r = ob.open(p, 0, { name, root: options.root, attributes: options.attributes ?? CI });
  const escaped = r.status >= 0;
  record(SUITE, escaped);
  if (r.handle) ob.close(p, r.handle);
  expect(S.ntStatusName(r.status)).toBe(S.ntStatusName(expected));
}

function link(name: string, target: string): number {
  const r = ob.create(p, T.SymbolicLink, { name, attributes: CI }, { target });
  expect(S.ntStatusName(r.status)).toBe('STATUS_SUCCESS');
  return r.handle;
}

describe('naming the host or another container from inside one', () => {
  test('\\Silos does not exist inside a silo', () => attempt('\\Silos', S.STATUS_OBJECT_NAME_NOT_FOUND));

  test("\\Silos\\<neighbour>\\BaseNamedObjects is not reachable (PATH_NOT_FOUND)", () =>
    attempt(`\\Silos\\${other.id}\\BaseNamedObjects`, S.STATUS_OBJECT_PATH_NOT_FOUND));

  test('\\GLOBAL??\\GLOBALROOT leads to the silo root, not the host root', () =>
    attempt(`\\GLOBAL??\\GLOBALROOT\\Silos\\${other.id}${neighbourSecret}`, S.STATUS_OBJECT_PATH_NOT_FOUND));

  test('\\??\\GLOBALROOT (the device-map fallback) leads to the silo root too', () =>
    attempt(`\\??\\GLOBALROOT\\Silos\\${other.id}\\BaseNamedObjects`, S.STATUS_OBJECT_PATH_NOT_FOUND));

  test('\\DosDevices\\Global\\GLOBALROOT chains stay in the silo', () =>
    attempt('\\DosDevices\\Global\\GLOBALROOT\\BaseNamedObjects\\HostSecret', S.STATUS_OBJECT_NAME_NOT_FOUND));

  test('`..` is an ordinary name: \\BaseNamedObjects\\..\\..\\Silos is PATH_NOT_FOUND', () =>
    attempt('\\BaseNamedObjects\\..\\..\\Silos\\0', S.STATUS_OBJECT_PATH_NOT_FOUND));

  test("`..` relative to a root handle of the silo's own root does not climb", () => {
    const root = ob.open(p, T.Directory, { name: '\\', attributes: CI });
    expect(root.status).toBe(S.STATUS_SUCCESS);
    attempt('..\\BaseNamedObjects\\HostSecret', S.STATUS_OBJECT_PATH_NOT_FOUND, { root: root.handle });
    ob.close(p, root.handle);
  });

  test("the host's \\BaseNamedObjects\\HostSecret is not the silo's \\BaseNamedObjects\\HostSecret", () =>
    attempt(HOST_SECRET, S.STATUS_OBJECT_NAME_NOT_FOUND));

  test("another container's session BaseNamedObjects (\\Sessions\\<its session>) is PATH_NOT_FOUND", () =>
    attempt(neighbourSecret, S.STATUS_OBJECT_PATH_NOT_FOUND));

  test("\\Sessions\\BNOLINKS\\<its session> holds only the silo's own session", () =>
    attempt(`\\Sessions\\BNOLINKS\\${other.sessionId}\\NeighbourSecret`, S.STATUS_OBJECT_PATH_NOT_FOUND));

  test('the name of an object shows the silo-relative path, never \\Silos\\<id>', () => {
    const r = ob.open(p, 0, { name: '\\BaseNamedObjects', attributes: CI });
    const name = ob.queryName(p, r.handle).name;
    ob.close(p, r.handle);
    const escaped = name.toUpperCase().includes('SILOS');
    record(SUITE, escaped);
    expect(name).toBe('\\BaseNamedObjects');
  });

  test('enumerating the silo root lists no Silos directory', () => {
    const r = ob.open(p, T.Directory, { name: '\\', attributes: CI });
    const q = ob.queryDirectory(p, r.handle, { bufferLength: 1 << 16 });
    ob.close(p, r.handle);
    const names = q.entries.map((e) => e.name);
    record(SUITE, names.includes('Silos'));
    expect(names).not.toContain('Silos');
    expect(names).toContain('BaseNamedObjects');
  });
});

describe('links made inside the silo', () => {
  test('an absolute link target restarts at the silo root: a link to \\Silos\\<neighbour> dangles', () => {
    const h = link('\\BaseNamedObjects\\toNeighbour', `\\Silos\\${other.id}\\BaseNamedObjects`);
    attempt('\\BaseNamedObjects\\toNeighbour\\x', S.STATUS_OBJECT_PATH_NOT_FOUND);
    ob.close(p, h);
  });

  test('a link to \\GLOBAL??\\GLOBALROOT\\Silos\\<neighbour> dangles the same way', () => {
    const h = link('\\BaseNamedObjects\\viaGlobalRoot', `\\GLOBAL??\\GLOBALROOT\\Silos\\${other.id}`);
    attempt('\\BaseNamedObjects\\viaGlobalRoot\\BaseNamedObjects', S.STATUS_OBJECT_PATH_NOT_FOUND);
    ob.close(p, h);
  });

  test('creating a global link (the CVE-2021-26891 class) with SeTcbPrivilege inside a silo: STATUS_PRIVILEGE_NOT_HELD', () => {
    const r = ob.create(p, T.SymbolicLink, { name: '\\BaseNamedObjects\\globalEscape', attributes: CI }, { target: '\\Silos', global: true });
    record(SUITE, r.status >= 0);
    if (r.handle) ob.close(p, r.handle);
    expect(S.ntStatusName(r.status)).toBe('STATUS_PRIVILEGE_NOT_HELD');
    expect(S.ntStatusMessage(r.status)).toBe('A required privilege is not held by the client.');
  });

  test('turning an existing link global (NtSetInformationSymbolicLink) inside a silo: STATUS_PRIVILEGE_NOT_HELD', () => {
    const h = link('\\BaseNamedObjects\\laterGlobal', '\\Silos');
    const s = ob.setLinkGlobal(p, h, true);
    record(SUITE, s >= 0);
    expect(S.ntStatusName(s)).toBe('STATUS_PRIVILEGE_NOT_HELD');
    attempt('\\BaseNamedObjects\\laterGlobal', S.STATUS_OBJECT_NAME_NOT_FOUND);
    ob.close(p, h);
  });

  test('a global link the host placed in the silo is refused to the silo (STATUS_ACCESS_DENIED)', () => {
    const g = ob.create(host, T.SymbolicLink, { name: `\\Silos\\${me.id}\\BaseNamedObjects\\hostGlobal`, attributes: CI }, { target: '\\BaseNamedObjects', global: true });
    expect(g.status).toBe(S.STATUS_SUCCESS);
    attempt('\\BaseNamedObjects\\hostGlobal\\HostSecret', S.STATUS_ACCESS_DENIED);
    ob.close(host, g.handle);
  });

  test('a link loop ends after the reparse budget: STATUS_OBJECT_NAME_NOT_FOUND', () => {
    const a = link('\\BaseNamedObjects\\loopA', '\\BaseNamedObjects\\loopB');
    const b = link('\\BaseNamedObjects\\loopB', '\\BaseNamedObjects\\loopA');
    attempt('\\BaseNamedObjects\\loopA', S.STATUS_OBJECT_NAME_NOT_FOUND);
    ob.close(p, a);
    ob.close(p, b);
  });

  test(`a chain of ${OB_LIMITS.maxReparse} links resolves, one more is STATUS_OBJECT_NAME_NOT_FOUND`, () => {
    const n = OB_LIMITS.maxReparse;
    const handles: number[] = [];
    const target = ob.create(p, T.Event, { name: '\\BaseNamedObjects\\chainEnd', attributes: CI });
    for (let i = 0; i <= n; i++) handles.push(link(`\\BaseNamedObjects\\chain${i}`, i === 0 ? '\\BaseNamedObjects\\chainEnd' : `\\BaseNamedObjects\\chain${i - 1}`));
    const ok = ob.open(p, 0, { name: `\\BaseNamedObjects\\chain${n - 1}`, attributes: CI });
    expect(S.ntStatusName(ok.status)).toBe('STATUS_SUCCESS');
    ob.close(p, ok.handle);
    attempt(`\\BaseNamedObjects\\chain${n}`, S.STATUS_OBJECT_NAME_NOT_FOUND);
    for (const h of handles) ob.close(p, h);
    ob.close(p, target.handle);
  });

  test('a link expansion over 0xFFF0 bytes is STATUS_NAME_TOO_LONG', () => {
    // A target just under UNICODE_STRING's 0xFFFE bytes; the remaining name pushes the expansion over.
    const h = link('\\BaseNamedObjects\\long', '\\BaseNamedObjects\\' + 'x'.repeat(0x7fd0 - 18));
    attempt('\\BaseNamedObjects\\long\\' + 'y'.repeat(64), S.STATUS_NAME_TOO_LONG);
    ob.close(p, h);
  });

  test("a private device map (\\??) whose C: link names another silo's volume stays in the silo", () => {
    const dir = ob.create(p, T.Directory, { name: '\\BaseNamedObjects\\MyDosDevices', attributes: CI });
    const c = link('\\BaseNamedObjects\\MyDosDevices\\C:', `\\Silos\\${other.id}\\Device\\${other.volume}`);
    expect(ob.setDeviceMap(p, dir.handle)).toBe(S.STATUS_SUCCESS);
    attempt('\\??\\C:', S.STATUS_OBJECT_PATH_NOT_FOUND);
    expect(ob.setDeviceMap(p, 0)).toBe(S.STATUS_SUCCESS);
    ob.close(p, c);
    ob.close(p, dir.handle);
  });

  test('OBJ_OPENLINK on a link to the host opens the link itself, whose target is silo-relative', () => {
    const h = link('\\BaseNamedObjects\\peek', '\\Silos');
    const r = ob.open(p, T.SymbolicLink, { name: '\\BaseNamedObjects\\peek', attributes: CI | OBJ_OPENLINK });
    expect(r.status).toBe(S.STATUS_SUCCESS);
    const target = ob.queryLink(p, r.handle).target;
    ob.close(p, r.handle);
    ob.close(p, h);
    // The target is text: following it is what the other attempts try.
    record(SUITE, false);
    expect(target).toBe('\\Silos');
  });
});

describe('handles', () => {
  test("a handle value of a host process means nothing in a container process: STATUS_INVALID_HANDLE", () => {
    const h = ob.open(host, 0, { name: HOST_SECRET, attributes: CI });
    expect(h.status).toBe(S.STATUS_SUCCESS);
    const fresh = ob.createProcess(me.id, me.sessionId, ALL_PRIVILEGES).process;
    const q = ob.queryName(fresh, h.handle);
    const c = ob.close(fresh, h.handle);
    record(SUITE, q.status >= 0 || c >= 0);
    expect(S.ntStatusName(q.status)).toBe('STATUS_INVALID_HANDLE');
    expect(S.ntStatusName(c)).toBe('STATUS_INVALID_HANDLE');
    // The host's handle is still its own.
    expect(ob.queryName(host, h.handle).name).toBe(HOST_SECRET);
    ob.close(host, h.handle);
    ob.deleteProcess(fresh);
  });
});

describe('changing the namespace outside the silo', () => {
  test("creating under the shadowed \\Device lands in the silo's own directory, not the host's", () => {
    const r = ob.create(p, T.Event, { name: '\\Device\\PlantedBySilo', attributes: CI });
    expect(r.status).toBe(S.STATUS_SUCCESS);
    const onHost = ob.open(host, 0, { name: '\\Device\\PlantedBySilo', attributes: CI });
    record(SUITE, onHost.status >= 0);
    if (onHost.handle) ob.close(host, onHost.handle);
    ob.close(p, r.handle);
    expect(S.ntStatusName(onHost.status)).toBe('STATUS_OBJECT_NAME_NOT_FOUND');
  });

  test('terminating another silo from inside one: STATUS_ACCESS_DENIED', () => {
    const s = ob.terminateSilo(p, other.id);
    record(SUITE, s >= 0);
    expect(S.ntStatusName(s)).toBe('STATUS_ACCESS_DENIED');
    expect(other.state).toBe('running');
  });

  test('making the silo root temporary (to delete it): STATUS_ACCESS_DENIED', () => {
    const r = ob.open(p, T.Directory, { name: '\\', attributes: CI });
    const s = ob.makeTemporary(p, r.handle);
    ob.close(p, r.handle);
    record(SUITE, s >= 0);
    expect(S.ntStatusName(s)).toBe('STATUS_ACCESS_DENIED');
  });

  test('a nested server silo from a program in a container: NtStatusError STATUS_PRIVILEGE_NOT_HELD (0xC0000061)', async () => {
    const e = await l.probe((ctx) => {
      try {
        ctx.createServerSilo();
        return undefined;
      } catch (err) {
        return err;
      }
    });
    record(SUITE, !(e instanceof NtStatusError));
    expect(e).toBeInstanceOf(NtStatusError);
    expect((e as NtStatusError).statusName).toBe('STATUS_PRIVILEGE_NOT_HELD');
    expect(S.formatNtStatus((e as NtStatusError).status)).toBe('0xC0000061');
  });

  test('a nested silo through the namespace (createSilo) from inside: STATUS_PRIVILEGE_NOT_HELD', () => {
    const r = ob.createSilo(p, 9999);
    record(SUITE, r.status >= 0);
    if (r.handle) ob.close(p, r.handle);
    expect(S.ntStatusName(r.status)).toBe('STATUS_PRIVILEGE_NOT_HELD');
  });

  test('NtLoadDriver inside a silo returns and loads nothing (refused silently, windows-facts §2)', async () => {
    const threw = await l.probe((ctx) => {
      try {
        ctx.loadDriver('EvilDriver');
        return false;
      } catch {
        return true;
      }
    });
    const onHost = ob.open(host, 0, { name: '\\Driver\\EvilDriver', attributes: CI });
    record(SUITE, onHost.status >= 0);
    expect(threw).toBe(false);
    expect(S.ntStatusName(onHost.status)).toBe('STATUS_OBJECT_NAME_NOT_FOUND');
  });
});

describe('Win32 named objects (CreateEvent / OpenEvent) in a container', () => {
  async function open(name: string): Promise<number> {
    return l.probe((ctx) => {
      try {
        ctx.objects.close(ctx.objects.open('Event', name));
        return 0;
      } catch (e) {
        if (e instanceof Win32Error) return e.code;
        throw e;
      }
    });
  }

  test("Global\\ in one container is not the host's or another container's Global\\", async () => {
    const created = await new Promise<boolean>((resolve, reject) => {
      l.neighbour.registerProgram('C:\\Windows\\System32\\holder.exe', async (ctx) => {
        try {
          const h = ctx.objects.create('Event', 'Global\\SharedSecret');
          resolve(!h.existed);
          await ctx.sleep(60_000);
        } catch (e) {
          reject(e);
        }
      });
      void l.neighbour.exec({ cmd: ['holder.exe'] });
    });
    expect(created).toBe(true);
    const code = await open('Global\\SharedSecret');
    record(SUITE, code === 0);
    expect(code).toBe(ERROR_FILE_NOT_FOUND);
  });

  test("Session\\<neighbour's session>\\x is ERROR_PATH_NOT_FOUND", async () => {
    const code = await open(`Session\\${other.sessionId}\\NeighbourSecret`);
    record(SUITE, code === 0);
    expect(code).toBe(ERROR_PATH_NOT_FOUND);
  });

  test('Global\\..\\..\\Silos\\<neighbour>\\… is ERROR_PATH_NOT_FOUND', async () => {
    const code = await open(`Global\\..\\..\\Silos\\${other.id}${neighbourSecret}`);
    record(SUITE, code === 0);
    expect(code).toBe(ERROR_PATH_NOT_FOUND);
  });
});

describe('random compositions of namespace names', () => {
  // Property (windows-facts §2): no name a privileged process in the
  // container composes — with links it made to point out — opens the
  // host's HostSecret or the neighbour's NeighbourSecret. One attempt per name.
  const runs = trials(1000);

  test(`${runs} names from \\Silos, GLOBALROOT, \\??, sessions, .. and links reach neither secret`, () => {
    const pieces = [
      'Silos', String(other.id), String(me.id), '0', 'BaseNamedObjects', 'HostSecret', 'NeighbourSecret', 'GLOBAL??', 'GLOBALROOT', 'Global', '??',
      'DosDevices', '..', '.', 'Device', 'Sessions', String(other.sessionId), String(me.sessionId), 'BNOLINKS', 'Session', 'Local', 'KernelObjects',
      'rndUp', 'rndNeighbour', 'rndRoot', other.volume, 'C:',
    ];
    const made = [
      link('\\BaseNamedObjects\\rndUp', '\\GLOBAL??\\GLOBALROOT'),
      link('\\BaseNamedObjects\\rndNeighbour', `\\Silos\\${other.id}`),
      link('\\rndRoot', '\\??\\GLOBALROOT\\Silos'),
    ];
    let attempts = 0;
    const reached: string[] = [];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 7 }), fc.boolean(), (parts, ci) => {
        attempts++;
        const name = '\\' + parts.join('\\');
        const r = ob.open(p, 0, { name, attributes: ci ? CI : 0 });
        if (r.status >= 0) {
          const seen = ob.queryName(p, r.handle).name;
          ob.close(p, r.handle);
          if (/HostSecret|NeighbourSecret/i.test(seen)) reached.push(`${name} → ${seen}`);
        }
        return true;
      }),
      { seed: SEED, numRuns: runs },
    );
    for (const h of made) ob.close(p, h);
    recordReliability({ family: 'escape', suite: SUITE, trials: attempts, failures: reached.length, detail: 'random name compositions' });
    expect(reached).toEqual([]);
  });
});

describe('a Hyper-V isolated container (its own kernel in a utility VM)', () => {
  test("names nothing of the host kernel's namespace: \\BaseNamedObjects\\HostSecret and \\Silos\\<neighbour> are not there", async () => {
    const c = (await l.host.createContainer({ image: 'mcr.microsoft.com/windows/servercore:ltsc2022', isolation: 'hyperv', cmd: ['cmd'], openStdin: true })) as Container;
    await c.start();
    try {
      const system = c.computeSystem!;
      const vmKernel = system.kernel;
      expect(vmKernel).not.toBe(kernel);
      const silo = system.silo!;
      const vob = vmKernel.ob;
      const vp = vob.createProcess(silo.id, silo.sessionId, ALL_PRIVILEGES).process;
      for (const [name, expected] of [
        [HOST_SECRET, 'STATUS_OBJECT_NAME_NOT_FOUND'],
        [`\\GLOBAL??\\GLOBALROOT\\Silos\\${other.id}${neighbourSecret}`, 'STATUS_OBJECT_PATH_NOT_FOUND'],
        ['\\Silos', 'STATUS_OBJECT_NAME_NOT_FOUND'],
      ] as const) {
        const r = vob.open(vp, 0, { name, attributes: CI });
        record(SUITE, r.status >= 0);
        expect(S.ntStatusName(r.status)).toBe(expected);
      }
      const g = vob.create(vp, T.SymbolicLink, { name: '\\BaseNamedObjects\\vmGlobal', attributes: CI }, { target: '\\', global: true });
      record(SUITE, g.status >= 0);
      expect(S.ntStatusName(g.status)).toBe('STATUS_PRIVILEGE_NOT_HELD');
    } finally {
      await c.remove({ force: true });
    }
  });
});
