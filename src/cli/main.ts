#!/usr/bin/env node
/**
 * The winsilo command line.
 *
 *   winsilo start                 what `npm start` runs: boot a host and one
 *                                 process-isolated container, show the namespace
 *   winsilo winobj [options] [PATH]
 *                                 the object namespace as WinObj shows it
 *
 * The interactive `winsilo run -it … cmd` arrives with the shell (see the
 * README's roadmap); until then `start` shows the kernel objects a container
 * is made of.
 */
import { parseArgs } from 'node:util';
import { NtStatusError } from '../core/errors.js';
import { RefObjectNamespace, WasmObjectNamespace, type ObjectNamespace } from '../core/ob/index.js';
import { bootHostNamespace } from '../kernel/namespace/host.js';
import { createSiloNamespace } from '../kernel/namespace/silo.js';
import { winobjTree } from './winobj.js';

const USAGE = `Usage: winsilo COMMAND

Commands:
  start                 Boot a host with one servercore container (server silo 380,
                        session 14) and print its object namespace
  winobj [PATH]         Print the object namespace below PATH (default \\)

Options for winobj:
  --silo ID             Look from inside server silo ID (a container is booted for it)
  --depth N             Stop N directories down
  --impl wasm|ref       Which object-manager implementation to use (default wasm)
  -h, --help            Show this help
`;

function bootWith(impl: string, silo: number | undefined): { ob: ObjectNamespace; process: number } {
  const ob: ObjectNamespace = impl === 'ref' ? new RefObjectNamespace() : new WasmObjectNamespace();
  const host = bootHostNamespace(ob);
  if (silo === undefined) return { ob, process: host };
  createSiloNamespace(ob, host, silo, { session: 14, volume: 'HarddiskVolume5' });
  const p = ob.createProcess(silo, 14, 0);
  if (p.status < 0) throw new NtStatusError('PspCreateProcess', p.status);
  return { ob, process: p.process };
}

function main(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      silo: { type: 'string' },
      depth: { type: 'string' },
      impl: { type: 'string', default: 'wasm' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    process.stdout.write(USAGE);
    return command || values.help ? 0 : 1;
  }
  if (values.impl !== 'wasm' && values.impl !== 'ref') {
    process.stderr.write(`winsilo: --impl must be wasm or ref, not '${values.impl}'\n`);
    return 2;
  }
  switch (command) {
    case 'start': {
      const { ob, process: host } = bootWith(values.impl, undefined);
      createSiloNamespace(ob, host, 380, { session: 14, volume: 'HarddiskVolume5' });
      process.stdout.write(
        'winsilo: a Windows Server 2022 (build 20348) host with one process-isolated container\n' +
          '(server silo 380, session 14, C: = \\Device\\HarddiskVolume5). Its object namespace:\n\n',
      );
      process.stdout.write(winobjTree(ob, host, '\\').join('\n') + '\n');
      const inside = ob.createProcess(380, 14, 0).process;
      process.stdout.write('\nThe same container seen from inside (every lookup starts at \\Silos\\380):\n\n');
      process.stdout.write(winobjTree(ob, inside, '\\').join('\n') + '\n');
      process.stdout.write(`\n${ob.objectCount()} objects. The interactive cmd.exe comes with the shell.\n`);
      return 0;
    }
    case 'winobj': {
      let silo: number | undefined;
      if (values.silo !== undefined) {
        silo = Number(values.silo);
        if (!Number.isInteger(silo) || silo <= 0 || silo > 0xffffffff) {
          process.stderr.write(`winsilo: --silo takes a silo id (a positive integer), not '${values.silo}'\n`);
          return 2;
        }
      }
      const depth = values.depth === undefined ? Infinity : Number(values.depth);
      if (!(depth >= 1)) {
        process.stderr.write(`winsilo: --depth takes a number ≥ 1, not '${values.depth}'\n`);
        return 2;
      }
      const { ob, process: p } = bootWith(values.impl, silo);
      const path = rest[0] ?? '\\';
      process.stdout.write(winobjTree(ob, p, path, depth).join('\n') + '\n');
      return 0;
    }
    default:
      process.stderr.write(`winsilo: '${command}' is not a winsilo command. See 'winsilo --help'.\n`);
      return 1;
  }
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  if (e instanceof NtStatusError) {
    process.stderr.write(`winsilo: ${e.message}\n`);
    process.exitCode = 1;
  } else if (e instanceof Error && 'code' in e && String((e as { code: unknown }).code).startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`winsilo: ${e.message}\n${USAGE}`);
    process.exitCode = 2;
  } else {
    throw e;
  }
}
