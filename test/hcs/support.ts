// Test images and hosts for the compute service's tests.
//
// Images are the real ones (src/images/base/synthesize.ts, as the image
// store pulls them: the same layers, bytes and hives), with one layer more
// on top holding the test programs' image files in System32 — as the Host
// adds a layer for the programs an embedder registers.
import { WasmBlockStore, type BlockStore } from '../../src/core/blocks/index.js';
import { mountVolume } from '../../src/kernel/fs/index.js';
import { Kernel, type KernelOptions, type ProcessContext, type Program } from '../../src/kernel/process/index.js';
import { catalogTime, lookupBaseImage } from '../../src/images/base/index.js';
import { synthesizeBaseImage, type LayerCache } from '../../src/images/base/synthesize.js';
import { PE_AMD64 } from '../../src/images/base/tree.js';
import type { Image, Layer } from '../../src/images/types.js';
import { ComputeService, type ComputeServiceOptions } from '../../src/hcs/index.js';
import { ManualTimers, settle, steppingClock } from '../kernel/process/support.js';

export { ManualTimers, settle, steppingClock };

export const SERVERCORE_2022 = 'mcr.microsoft.com/windows/servercore:ltsc2022';
export const NANOSERVER_2022 = 'mcr.microsoft.com/windows/nanoserver:ltsc2022';
export const SERVERCORE_2019 = 'mcr.microsoft.com/windows/servercore:ltsc2019';

export const SYSTEM32 = 'C:\\Windows\\System32';

/** The test programs' images, written into every test image's System32. */
export const TEST_PROGRAMS = ['tool.exe', 'ticker.exe', 'hog.exe', 'cat.exe', 'waiter.exe', 'printer.exe', 'stubborn.exe'] as const;

/** Layers synthesized per store, shared between the images of one store (Server Core's under IIS, …) as the image store shares them. */
const LAYERS = new WeakMap<BlockStore, LayerCache>();

/** One image of the catalogue, synthesized in `store`, plus a layer holding the test programs' files. */
export function buildImage(store: BlockStore, reference: string): Image {
  const spec = lookupBaseImage(reference);
  if (!spec) throw new Error(`no catalogue image ${reference}`);
  let cache = LAYERS.get(store);
  if (!cache) LAYERS.set(store, (cache = new Map()));
  const image = synthesizeBaseImage(store, spec, cache);
  const top = image.layers[image.layers.length - 1]!;
  const c = store.clone(top.disk);
  if (c.status !== 0) throw new Error(`clone of ${reference}'s top layer: ${c.status}`);
  const volume = mountVolume(store, c.disk, { clock: () => catalogTime(spec.created) });
  for (const name of TEST_PROGRAMS) {
    const h = volume.open(`\\Windows\\System32\\${name}`, { disposition: 'create', write: true });
    h.write(0, PE_AMD64);
    h.close();
  }
  store.snapshot(c.disk);
  const programs: Layer = {
    diffId: `sha256:${'0'.repeat(56)}${c.disk.toString(16).padStart(8, '0')}`,
    disk: c.disk,
    hives: {},
    size: 0,
    foreign: false,
    createdBy: 'winsilo tests: the test programs',
    created: image.created,
  };
  return { ...image, layers: [...image.layers, programs] };
}

export interface TestHost {
  kernel: Kernel;
  store: BlockStore;
  timers: ManualTimers;
  service: ComputeService;
  image(reference?: string): Image;
}

/**
 * A container host: a server kernel with a manual clock and timers, a WASM
 * block store, a compute service (build 20348 unless asked), and the test
 * programs registered machine-wide. Images are built on first use.
 */
export function newTestHost(options: { kernel?: KernelOptions; service?: Partial<ComputeServiceOptions> } = {}): TestHost {
  const timers = new ManualTimers();
  const kernel = new Kernel({ clock: steppingClock(), timers, host: 'server', ...options.kernel });
  const store = new WasmBlockStore();
  registerTestPrograms(kernel);
  const service = new ComputeService({ kernel, store, ...options.service });
  const images = new Map<string, Image>();
  return {
    kernel,
    store,
    timers,
    service,
    image(reference = SERVERCORE_2022) {
      let i = images.get(reference);
      if (!i) images.set(reference, (i = buildImage(store, reference)));
      return i;
    },
  };
}

const forever = (ctx: ProcessContext) =>
  new Promise<number>((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true }));

/** The test programs (C:\Windows\System32\<name>). */
export const PROGRAMS: Record<(typeof TEST_PROGRAMS)[number], Program> = {
  /** Prints its argv and environment variable FOO, then exits with argv[1] (default 0). */
  'tool.exe': async (ctx) => {
    await ctx.stdout.write(`args=${ctx.argv.slice(1).join(',')} foo=${ctx.env.get('FOO') ?? ''} user=${ctx.env.get('USERNAME') ?? ''} cwd=${ctx.cwd}\r\n`);
    const c = ctx.console;
    if (c) await ctx.stdout.write(`console=${c.rows}x${c.columns}\r\n`);
    return Number(ctx.argv[1] ?? 0);
  },
  /** Prints `tick N` every 100 ms of the kernel's timers. */
  'ticker.exe': async (ctx) => {
    for (let i = 1; ; i++) {
      await ctx.sleep(100);
      await ctx.stdout.write(`tick ${i}\n`);
    }
  },
  /** Commits argv[1] bytes; prints `ok` or the Win32 error code. */
  'hog.exe': async (ctx) => {
    try {
      ctx.commit(Number(ctx.argv[1]));
      await ctx.stdout.write('ok\n');
      return 0;
    } catch (e) {
      const code = (e as { code?: number }).code ?? -1;
      await ctx.stdout.write(`error ${code}\n`);
      return code;
    }
  },
  /** Copies stdin to stdout until end of file. */
  'cat.exe': async (ctx) => {
    for (;;) {
      const b = await ctx.stdin.read();
      if (b === null) return 0;
      await ctx.stdout.write(b);
    }
  },
  /** Waits until ended. */
  'waiter.exe': forever,
  /** Handles every console control event (so shutdown must wait out its grace period), and waits until ended. */
  'stubborn.exe': (ctx) => {
    ctx.onConsoleCtrl(() => true);
    return forever(ctx);
  },
  /** Prints one line, then waits until ended. */
  'printer.exe': async (ctx) => {
    await ctx.stdout.write('ready\n');
    return forever(ctx);
  },
};

export function registerTestPrograms(kernel: Kernel): void {
  for (const [name, program] of Object.entries(PROGRAMS)) kernel.programs.register(`${SYSTEM32}\\${name}`, program);
}

/** Everything a pipe delivers, gathered as it arrives: read `text` after letting programs run (settle). */
export class Collector {
  text = '';
  ended = false;
  readonly done: Promise<string>;
  constructor(reader: { read(max?: number): Promise<Uint8Array | null> } | null) {
    const dec = new TextDecoder();
    this.done = (async () => {
      if (reader) {
        for (;;) {
          const b = await reader.read();
          if (b === null) break;
          this.text += dec.decode(b, { stream: true });
        }
      }
      this.ended = true;
      return this.text;
    })();
  }
}

/** A 64-hex container id derived from a short name (docker's id shape). */
export function containerId(name: string): string {
  let h = 0x12345678;
  let out = '';
  while (out.length < 64) {
    for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x5bd1e995) >>> 0;
    h = Math.imul(h ^ out.length, 0x27d4eb2d) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, 64);
}

let shared: TestHost | undefined;
/** One host per test file (each test uses its own container ids): saves building images per test. */
export function sharedHost(): TestHost {
  return (shared ??= newTestHost());
}
