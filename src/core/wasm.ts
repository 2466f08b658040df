/**
 * Loads a core module (build/<name>.wasm) synchronously, so that the
 * TypeScript bindings can be constructed with `new`. Each module gets its own
 * instance and linear memory: a block store growing towards 4 GiB must not
 * move the object namespace's memory under it.
 */
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type CoreModuleName = 'ob' | 'blocks' | 'jobs';

const compiled = new Map<string, WebAssembly.Module>();

/** The package root: the nearest folder above this file holding build/. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'build'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('winsilo: cannot find build/ — run `npm run build` first');
    dir = up;
  }
}

export function wasmPath(name: CoreModuleName, debug = false): string {
  return join(packageRoot(), 'build', debug ? `${name}.debug.wasm` : `${name}.wasm`);
}

/**
 * A fresh instance of a core module. `WINSILO_WASM_DEBUG=1` loads the debug
 * build (asserts on, names kept) for diagnosing a trap.
 */
export function instantiateCore<E extends WebAssembly.Exports>(name: CoreModuleName): E & { memory: WebAssembly.Memory } {
  const debug = process.env.WINSILO_WASM_DEBUG === '1';
  const key = `${name}:${debug}`;
  let mod = compiled.get(key);
  if (!mod) {
    const path = wasmPath(name, debug);
    if (!existsSync(path)) throw new Error(`winsilo: ${path} is missing — run \`npm run build\` first`);
    mod = new WebAssembly.Module(readFileSync(path));
    compiled.set(key, mod);
  }
  const instance = new WebAssembly.Instance(mod, {
    env: {
      // Only reachable from the debug build (release is built with noAssert):
      // an assertion in the core is a bug, reported with its location.
      abort(msg: number, file: number, line: number, col: number): never {
        throw new Error(`winsilo: core module ${name} aborted at line ${line}:${col} (msg@${msg}, file@${file})`);
      },
    },
  });
  return instance.exports as E & { memory: WebAssembly.Memory };
}
