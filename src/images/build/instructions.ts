/**
 * Typed instructions and stages from the parser's nodes (buildkit's
 * frontend/dockerfile/instructions as moby v28.2.2 vendors it): argument
 * counts, flags, FROM's `AS name`, HEALTHCHECK's options; errors in moby's
 * words, wrapped as `dockerfile parse error on line N: …`; an unknown word
 * is `unknown instruction: X`, with buildkit's `(did you mean Y?)` when one
 * is within edit distance 2.
 *
 * The support matrix (house style §7) is INSTRUCTION_SUPPORT.
 */
import { BuildError } from './errors.js';
import type { Node, ParseResult } from './parser.js';

export type Support = { status: 'supported' } | { status: 'partial'; note: string } | { status: 'refused'; note: string };

/** Every Dockerfile instruction and how the classic builder here serves it. */
export const INSTRUCTION_SUPPORT: Readonly<Record<string, Support>> = {
  FROM: { status: 'partial', note: 'local images and Microsoft bases (pulled on first use); --platform only windows/amd64; FROM scratch refused as on Windows' },
  RUN: { status: 'partial', note: 'shell form through the SHELL (cmd /S /C), exec form; --mount/--network/--security need BuildKit (refused as moby does)' },
  CMD: { status: 'supported' },
  ENTRYPOINT: { status: 'supported' },
  SHELL: { status: 'supported' },
  ENV: { status: 'supported' },
  ARG: { status: 'supported' },
  LABEL: { status: 'supported' },
  EXPOSE: { status: 'supported' },
  WORKDIR: { status: 'supported' },
  USER: { status: 'supported' },
  VOLUME: { status: 'supported' },
  STOPSIGNAL: { status: 'supported' },
  HEALTHCHECK: { status: 'supported' },
  ONBUILD: { status: 'supported' },
  MAINTAINER: { status: 'supported' },
  COPY: { status: 'partial', note: '--from=stage|image, wildcards, folders; --chown accepted and not applied (no ACLs in the file system); --chmod/--link refused or ignored as moby' },
  ADD: { status: 'partial', note: 'local files and tar archives (extracted); URLs refused: the host is offline' },
};

const NAMES = Object.keys(INSTRUCTION_SUPPORT);

export interface Instr {
  /** Upper-case instruction name. */
  readonly name: string;
  readonly node: Node;
  /** Flags by name (`--from=x` → from: 'x'); boolean flags '' → 'true'. */
  readonly flags: ReadonlyMap<string, string>;
  /** Words are used as given, without variable substitution (`--label` options). */
  readonly noExpand?: boolean;
}

export interface Stage {
  readonly from: Instr;
  readonly baseName: string;
  /** Lower-cased `AS` name, or ''. */
  readonly name: string;
  readonly platform: string;
  readonly commands: Instr[];
}

export interface Program {
  readonly metaArgs: Instr[];
  readonly stages: Stage[];
  readonly escapeToken: string;
  readonly warnings: readonly string[];
}

/** Flags each instruction accepts (buildkit's BFlags per instruction). */
const FLAGS: Readonly<Record<string, readonly string[]>> = {
  FROM: ['platform'],
  COPY: ['chown', 'from', 'chmod', 'link'],
  ADD: ['chown', 'chmod', 'link', 'keep-git-dir', 'checksum'],
  RUN: ['mount', 'network', 'security'],
  HEALTHCHECK: ['interval', 'timeout', 'start-period', 'start-interval', 'retries'],
};
const BOOL_FLAGS = new Set(['link', 'keep-git-dir']);

function parseFlags(name: string, node: Node): Map<string, string> {
  const allowed = FLAGS[name] ?? [];
  const out = new Map<string, string>();
  for (const f of node.flags) {
    if (!f.startsWith('--')) throw new BuildError(`arg should start with -- : ${f}`, 400);
    const body = f.slice(2);
    const eq = body.indexOf('=');
    const key = eq < 0 ? body : body.slice(0, eq);
    const value = eq < 0 ? undefined : body.slice(eq + 1);
    // HEALTHCHECK NONE takes no flags; buildkit adds them only for CMD.
    if (!allowed.includes(key)) throw new BuildError(`unknown flag: ${key}`, 400);
    if (out.has(key)) throw new BuildError(`duplicate flag specified: ${key}`, 400);
    if (BOOL_FLAGS.has(key)) {
      if (value !== undefined && !['true', 'false', ''].includes(value.toLowerCase())) throw new BuildError(`expecting boolean value for flag ${key}, not: ${value}`, 400);
      out.set(key, value === undefined || value === '' ? 'true' : value.toLowerCase());
    } else {
      if (value === undefined) throw new BuildError(`missing a value on flag: ${key}`, 400);
      out.set(key, value);
    }
  }
  return out;
}

/** Levenshtein distance (for buildkit's suggestion). */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length]![b.length]!;
}

/** buildkit suggest.Search: the closest name under distance 3, in the typed case. */
function suggestion(word: string): string | undefined {
  const val = word.toLowerCase();
  let best: string | undefined;
  let min = 3;
  for (const n of NAMES) {
    const opt = n.toLowerCase();
    if (opt === val) return undefined;
    const dist = distance(val, opt);
    if (dist < min) {
      min = dist;
      best = word === word.toLowerCase() ? opt : word === word.toUpperCase() ? n : opt;
    }
  }
  return best;
}

function check(name: string, node: Node): void {
  const n = node.args.length;
  const atLeastOne = (): never => {
    throw new BuildError(`${name} requires at least one argument`, 400);
  };
  const exactlyOne = (): never => {
    throw new BuildError(`${name} requires exactly one argument`, 400);
  };
  switch (name) {
    case 'FROM':
      if (n === 3) {
        if (node.args[1]!.toLowerCase() !== 'as') throw new BuildError('FROM requires either one or three arguments', 400);
        if (!/^[a-z][a-z0-9-_.]*$/.test(node.args[2]!.toLowerCase())) throw new BuildError(`invalid name for build stage: "${node.args[2]}", name can't start with a number or contain symbols`, 400);
      } else if (n !== 1) throw new BuildError('FROM requires either one or three arguments', 400);
      return;
    case 'COPY':
    case 'ADD':
      if (n < 2) throw new BuildError(`${name} requires at least two arguments, but only one was provided. Destination could not be determined`, 400);
      return;
    case 'ENV':
    case 'LABEL':
      if (n === 0) atLeastOne();
      if (node.args.some((a, i) => i % 2 === 0 && a === '')) throw new BuildError(`${name} names can not be blank`, 400);
      return;
    case 'ARG':
      if (n === 0) atLeastOne();
      return;
    case 'MAINTAINER':
    case 'WORKDIR':
    case 'USER':
    case 'STOPSIGNAL':
      if (n !== 1) exactlyOne();
      return;
    case 'EXPOSE':
    case 'VOLUME':
    case 'ONBUILD':
    case 'HEALTHCHECK':
      if (n === 0) atLeastOne();
      if (name === 'VOLUME' && node.args.some((a) => a.trim() === '')) throw new BuildError('VOLUME specified can not be an empty string', 400);
      if (name === 'ONBUILD') {
        const t = /^\s*(\S+)/.exec(node.args[0]!)?.[1]?.toUpperCase() ?? '';
        if (t === 'ONBUILD') throw new BuildError('Chaining ONBUILD via `ONBUILD ONBUILD` isn\'t allowed', 400);
        if (t === 'MAINTAINER' || t === 'FROM') throw new BuildError(`${t} isn't allowed as an ONBUILD trigger`, 400);
      }
      if (name === 'HEALTHCHECK') {
        const typ = node.args[0]!.toUpperCase();
        if (typ === 'NONE' && n > 1) throw new BuildError('HEALTHCHECK NONE takes no arguments', 400);
        if (typ !== 'NONE' && typ !== 'CMD') throw new BuildError(`Unknown type "${typ}" in HEALTHCHECK (try CMD)`, 400);
        if (typ === 'CMD' && n < 2) throw new BuildError('Missing command after HEALTHCHECK CMD', 400);
      }
      return;
    case 'SHELL':
      if (!node.json) throw new BuildError('SHELL requires the arguments to be in JSON form', 400);
      if (n === 0) atLeastOne();
      return;
    default:
      return;
  }
}

/** One node as a typed instruction (buildkit ParseInstruction); errors unwrapped. */
export function parseInstruction(node: Node): Instr {
  const name = node.word.toUpperCase();
  if (!(name in INSTRUCTION_SUPPORT)) {
    const s = suggestion(node.word);
    throw new BuildError(`unknown instruction: ${node.word}${s ? ` (did you mean ${s}?)` : ''}`, 400);
  }
  const flags = parseFlags(name, node);
  check(name, node);
  return { name, node, flags };
}

/** The Dockerfile's stages and the ARGs before the first FROM (instructions.Parse). */
export function toProgram(parsed: ParseResult): Program {
  const metaArgs: Instr[] = [];
  const stages: Stage[] = [];
  for (const node of parsed.nodes) {
    let ins: Instr;
    try {
      ins = parseInstruction(node);
    } catch (e) {
      if (e instanceof BuildError) throw new BuildError(`dockerfile parse error on line ${node.startLine}: ${e.message}`, 400);
      throw e;
    }
    if (ins.name === 'FROM') {
      stages.push({ from: ins, baseName: node.args[0]!, name: node.args.length === 3 ? node.args[2]!.toLowerCase() : '', platform: ins.flags.get('platform') ?? '', commands: [] });
      continue;
    }
    if (stages.length === 0) {
      if (ins.name === 'ARG') {
        metaArgs.push(ins);
        continue;
      }
      throw new BuildError('no build stage in current context', 400);
    }
    stages[stages.length - 1]!.commands.push(ins);
  }
  return { metaArgs, stages, escapeToken: parsed.escapeToken, warnings: parsed.warnings };
}

/** `ARG a=1 b` as key and optional value. */
export function argPairs(ins: Instr): { key: string; value: string | undefined }[] {
  return ins.node.args.map((a) => {
    const eq = a.indexOf('=');
    return eq < 0 ? { key: a, value: undefined } : { key: a.slice(0, eq), value: a.slice(eq + 1) };
  });
}
