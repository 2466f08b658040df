/**
 * A server silo's namespace root, populated as a real one is (windows-facts
 * §2): `\Silos\<id>` with its own `\GLOBAL??` (C: → the container's volume),
 * `\BaseNamedObjects`, `\Sessions\<session>` with its BaseNamedObjects,
 * `\KnownDlls`, `\Windows`, `\RPC Control`; and `\Device`, `\Driver`,
 * `\FileSystem` as shadow directories of the host's, which is how the
 * host's devices are visible inside the silo on purpose and nothing else
 * of the host is.
 */
import { NtStatusError } from '../../core/errors.js';
import { OBJ_CASE_INSENSITIVE, OBJ_PERMANENT, OBJ_OPENIF, ObjectType, type ObjectNamespace } from '../../core/ob/index.js';
import { baseNamedObjects, globalDosDevices, knownDlls } from './host.js';
import { populate, type NamespaceNode } from './populate.js';

export interface SiloNamespaceOptions {
  /** The container's session id (the seeds show 14, 15, …). */
  session: number;
  /** The host device that is the container's C: (created if missing), e.g. `HarddiskVolume5`. */
  volume: string;
}

export function siloNamespace(opts: SiloNamespaceOptions): Record<string, NamespaceNode> {
  return siloTree(opts, sessionless());
}

/** The parts of a silo's tree that do not depend on its session or volume (fresh objects). */
function sessionless() {
  return {
    Device: { type: 'Directory', shadow: '\\Device' },
    Driver: { type: 'Directory', shadow: '\\Driver' },
    FileSystem: { type: 'Directory', shadow: '\\FileSystem' },
    DosDevices: { type: 'SymbolicLink', target: '\\??' },
    BaseNamedObjects: baseNamedObjects('\\BaseNamedObjects'),
    KnownDlls: knownDlls(['ntdll.dll', 'kernel32.dll', 'KERNELBASE.dll']),
    NLS: { type: 'Directory' },
    'RPC Control': { type: 'Directory' },
    Windows: { type: 'Directory', children: { WindowStations: { type: 'Directory' }, SharedSection: { type: 'Section' } } },
  } satisfies Record<string, NamespaceNode>;
}

/** Built once and frozen for createSiloNamespace: populate only reads the tree. */
let sharedParts: ReturnType<typeof sessionless> | undefined;

function siloTree(opts: SiloNamespaceOptions, p: ReturnType<typeof sessionless>): Record<string, NamespaceNode> {
  const s = String(opts.session);
  return {
    Device: p.Device,
    Driver: p.Driver,
    FileSystem: p.FileSystem,
    'GLOBAL??': globalDosDevices(opts.volume),
    DosDevices: p.DosDevices,
    BaseNamedObjects: p.BaseNamedObjects,
    Sessions: {
      type: 'Directory',
      children: {
        [s]: {
          type: 'Directory',
          children: {
            BaseNamedObjects: baseNamedObjects(`\\Sessions\\${s}\\BaseNamedObjects`),
            DosDevices: { type: 'Directory' },
            Windows: { type: 'Directory', children: { WindowStations: { type: 'Directory' } } },
          },
        },
        BNOLINKS: { type: 'Directory', children: { [s]: { type: 'SymbolicLink', target: `\\Sessions\\${s}\\BaseNamedObjects` } } },
      },
    },
    KernelObjects: { type: 'Directory', children: { [`Session${s}`]: { type: 'Session' } } },
    KnownDlls: p.KnownDlls,
    NLS: p.NLS,
    'RPC Control': p['RPC Control'],
    SystemRoot: { type: 'SymbolicLink', target: `\\Device\\${opts.volume}\\Windows` },
    Windows: p.Windows,
  };
}

function deepFreeze<T>(o: T): T {
  if (o !== null && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

/**
 * Creates and populates silo `siloId`'s namespace root on behalf of the host
 * kernel process `hostProcess`. Throws NtStatusError with the real status
 * (STATUS_PRIVILEGE_NOT_HELD when called from inside a silo,
 * STATUS_OBJECT_NAME_COLLISION when the silo exists).
 */
export function createSiloNamespace(ob: ObjectNamespace, hostProcess: number, siloId: number, opts: SiloNamespaceOptions): void {
  const root = ob.createSilo(hostProcess, siloId);
  if (root.status < 0) throw new NtStatusError('JobObjectCreateSilo', root.status, `\\Silos\\${siloId}`);
  try {
    populateSilo(ob, hostProcess, siloId, root.handle, opts);
  } finally {
    ob.close(hostProcess, root.handle);
  }
}

function populateSilo(ob: ObjectNamespace, hostProcess: number, siloId: number, root: number, opts: SiloNamespaceOptions): void {
  const dev = ob.create(
    hostProcess,
    ObjectType.Device,
    { name: `\\Device\\${opts.volume}`, attributes: OBJ_PERMANENT | OBJ_OPENIF | OBJ_CASE_INSENSITIVE },
  );
  if (dev.status < 0) throw new NtStatusError('IoCreateDevice', dev.status, `\\Device\\${opts.volume}`);
  ob.close(hostProcess, dev.handle);
  populate(ob, hostProcess, `\\Silos\\${siloId}`, siloTree(opts, (sharedParts ??= deepFreeze(sessionless()))), root);
}
