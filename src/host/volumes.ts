/**
 * Named and anonymous volumes of the `local` driver, as moby v28 keeps them
 * on Windows (volume/local, volume/service): one folder per volume whose
 * `_data` is what a container mounts, shown to clients as
 * `C:\ProgramData\docker\volumes\<name>\_data`.
 *
 * winsilo's volumes live on the machine it runs on: under the data root's
 * `volumes/` (kept across restarts), or under a temporary folder for a
 * Host in memory (gone with it). A volume is mounted as a bind of that
 * folder, so it keeps what containers write there and several containers
 * share it.
 *
 * Rules (moby):
 *  - names: `[a-zA-Z0-9][a-zA-Z0-9_.-]+` (validateName: one character is
 *    "too short"); anonymous volumes get 64 hex digits;
 *  - the `local` driver only; on Windows it takes no options
 *    (`options are not supported on this platform`);
 *  - creating an existing name gives the existing volume;
 *  - errors read `<op> <name>: <why>` (service OpErr), `get x: no such
 *    volume`, `remove x: volume is in use - [<container ids>]`.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HostError } from './errors.js';

/** A volume as the Engine API shows it (volume.Volume). */
export interface VolumeInfo {
  CreatedAt: string;
  Driver: 'local';
  Labels: Record<string, string> | null;
  Mountpoint: string;
  Name: string;
  Options: Record<string, string> | null;
  Scope: 'local';
}

interface VolumeMeta {
  createdAt: string;
  /** As given (null: none sent); an anonymous volume's carry `com.docker.volume.anonymous`. */
  labels: Record<string, string> | null;
  options: Record<string, string> | null;
  anonymous: boolean;
}

/** moby (23+) labels the volumes it makes for a container so that prune takes only those by default. */
export const ANONYMOUS_VOLUME_LABEL = 'com.docker.volume.anonymous';

const VALID_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;
const META = 'winsilo-volume.json';

/** `C:\ProgramData\docker\volumes\<name>\_data`: where moby's local driver keeps a volume on Windows. */
export function volumeMountpoint(name: string): string {
  return `C:\\ProgramData\\docker\\volumes\\${name}\\_data`;
}

/** RFC 3339 to the second (moby's local driver: the folder's time, time.RFC3339). */
function rfc3339Seconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export class VolumeStore {
  private readonly temporary: boolean;
  private readonly root: string;

  constructor(
    /** The data root's `volumes` folder; undefined: a temporary folder (a Host in memory). */
    root: string | undefined,
    private readonly clock: () => number,
  ) {
    this.temporary = root === undefined;
    this.root = root ?? mkdtempSync(join(tmpdir(), 'winsilo-volumes-'));
    mkdirSync(this.root, { recursive: true });
  }

  /** moby validateName's texts (400). */
  static nameError(name: string): string | undefined {
    if (name.length === 1) return 'volume name is too short, names should be at least two alphanumeric characters';
    if (!VALID_NAME.test(name)) return `"${name}" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path`;
    return undefined;
  }

  private dir(name: string): string {
    return join(this.root, name);
  }

  /** The folder a container mounts for the volume. */
  dataPath(name: string): string {
    return join(this.dir(name), '_data');
  }

  private meta(name: string): VolumeMeta | undefined {
    try {
      const m = JSON.parse(readFileSync(join(this.dir(name), META), 'utf8')) as Partial<VolumeMeta>;
      return {
        createdAt: typeof m.createdAt === 'string' ? m.createdAt : rfc3339Seconds(statSync(this.dir(name)).mtimeMs),
        labels: m.labels && typeof m.labels === 'object' ? m.labels : null,
        options: m.options && typeof m.options === 'object' ? m.options : null,
        anonymous: m.anonymous === true,
      };
    } catch {
      // A folder without our document (made by hand, or torn): a volume still, if it has its data folder.
      try {
        return lstatSync(this.dataPath(name)).isDirectory() ? { createdAt: rfc3339Seconds(statSync(this.dir(name)).mtimeMs), labels: null, options: null, anonymous: /^[0-9a-f]{64}$/.test(name) } : undefined;
      } catch {
        return undefined;
      }
    }
  }

  private info(name: string, m: VolumeMeta): VolumeInfo {
    return { CreatedAt: m.createdAt, Driver: 'local', Labels: m.labels ? { ...m.labels } : null, Mountpoint: volumeMountpoint(name), Name: name, Options: m.options ? { ...m.options } : null, Scope: 'local' };
  }

  get(name: string): VolumeInfo | undefined {
    if (!VALID_NAME.test(name)) return undefined;
    const m = this.meta(name);
    return m ? this.info(name, m) : undefined;
  }

  /** Whether the volume was made for one container (no name given): `docker rm -v` and prune take these. */
  isAnonymous(name: string): boolean {
    return this.meta(name)?.anonymous === true;
  }

  list(): VolumeInfo[] {
    let names: string[];
    try {
      names = readdirSync(this.root);
    } catch {
      return [];
    }
    return names
      .sort()
      .map((n) => this.get(n))
      .filter((v): v is VolumeInfo => v !== undefined);
  }

  /**
   * `POST /volumes/create` and a mount of a name not yet made: the volume
   * (the existing one when the name is taken). `name` '' makes an
   * anonymous one. Returns it and whether it was made now.
   */
  create(o: { name?: string; driver?: string; options?: Record<string, string> | null; labels?: Record<string, string> | null }): { volume: VolumeInfo; created: boolean } {
    const anonymous = !o.name;
    const name = o.name || randomBytes(32).toString('hex');
    const driver = o.driver || 'local';
    if (driver !== 'local') throw new HostError(404, `error looking up volume plugin ${driver}: plugin "${driver}" not found`);
    const bad = VolumeStore.nameError(name);
    if (bad) throw new HostError(400, `create ${name}: ${bad}`);
    const existing = this.get(name);
    if (existing) return { volume: existing, created: false };
    if (o.options && Object.keys(o.options).length > 0) throw new HostError(400, `create ${name}: options are not supported on this platform`);
    const labels = anonymous ? { ...(o.labels ?? {}), [ANONYMOUS_VOLUME_LABEL]: '' } : o.labels ? { ...o.labels } : null;
    const m: VolumeMeta = { createdAt: rfc3339Seconds(this.clock()), labels, options: o.options ? { ...o.options } : null, anonymous };
    try {
      mkdirSync(this.dataPath(name), { recursive: true });
      writeFileSync(join(this.dir(name), META), JSON.stringify(m));
    } catch (e) {
      rmSync(this.dir(name), { recursive: true, force: true });
      // The local driver's mkdir as Windows answers it (a plain error: 500).
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'ENAMETOOLONG' ? 'The filename or extension is too long.' : code === 'ENOSPC' ? 'There is not enough space on the disk.' : 'Access is denied.';
      throw new HostError(500, `create ${name}: mkdir C:\\ProgramData\\docker\\volumes\\${name}: ${why}`);
    }
    return { volume: this.info(name, m), created: true };
  }

  /** Deletes a volume and what it holds (the caller checked it is not in use). */
  remove(name: string): void {
    if (!this.get(name)) throw new HostError(404, `get ${name}: no such volume`);
    rmSync(this.dir(name), { recursive: true, force: true });
  }

  /** Bytes the volume's files hold (docker system df -v's SIZE). */
  size(name: string): number {
    let total = 0;
    const walk = (dir: string): void => {
      let entries: string[];
      try {
        entries = readdirSync(dir);
      } catch {
        return;
      }
      for (const e of entries) {
        const p = join(dir, e);
        try {
          const st = lstatSync(p);
          if (st.isDirectory()) walk(p);
          else total += st.size;
        } catch {
          // gone meanwhile
        }
      }
    };
    walk(this.dataPath(name));
    return total;
  }

  /** A Host in memory takes its volumes with it. */
  close(): void {
    if (this.temporary && existsSync(this.root)) rmSync(this.root, { recursive: true, force: true });
  }
}
