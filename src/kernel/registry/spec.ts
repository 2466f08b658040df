/**
 * Hives as plain data (HiveKeySpec): what image synthesis writes a layer's
 * hives from, and what tests compare.
 */
import { ERROR_INVALID_PARAMETER, Win32Error } from '../../core/win32.js';
import { Hive, KEY_MERGE, KeyNode, VALUE_SET } from './hive.js';
import { LayeredHive, type KeyNodes } from './layered.js';
import { REGISTRY_LIMITS } from './limits.js';
import { fold, isValidKeyName } from './names.js';
import type { HiveKeySpec } from './types.js';
import { cloneValue, valueProblem } from './values.js';

export interface HiveFromSpecOptions {
  /** Last write time of keys whose spec has none, ms since 1970 (default 0: same spec, same bytes). */
  time?: number;
  /** The root key's own name (default ''). */
  rootName?: string;
}

/**
 * Builds a base hive from a spec. Key names must be valid (names.ts) and
 * unique case-insensitively, values valid (values.ts) and unique
 * case-insensitively; otherwise ERROR_INVALID_PARAMETER naming the key.
 */
export function hiveFromSpec(spec: HiveKeySpec, options: HiveFromSpecOptions = {}): Hive {
  const time = options.time ?? 0;
  const rootName = options.rootName ?? '';
  if (rootName !== '' && !isValidKeyName(rootName)) throw new Win32Error('hiveFromSpec', ERROR_INVALID_PARAMETER, `invalid root name ${JSON.stringify(rootName.slice(0, 300))}`);
  const root = build(spec, rootName, '', time, 0);
  return new Hive(root);
}

function build(spec: HiveKeySpec, name: string, where: string, time: number, depth: number): KeyNode {
  const fail = (problem: string): never => {
    throw new Win32Error('hiveFromSpec', ERROR_INVALID_PARAMETER, `${where === '' ? '(root)' : where}: ${problem}`);
  };
  if (typeof spec !== 'object' || spec === null) fail('not a key spec');
  if (depth > REGISTRY_LIMITS.maxTreeDepth) fail(`deeper than ${REGISTRY_LIMITS.maxTreeDepth} levels`);
  const t = spec.lastWriteTime ?? time;
  if (typeof t !== 'number' || !Number.isFinite(t)) fail('lastWriteTime is not a finite number');
  const node = new KeyNode(name, KEY_MERGE, t + 0);
  if (spec.values !== undefined) {
    if (!Array.isArray(spec.values)) fail('values is not an array');
    for (const v of spec.values) {
      const problem = valueProblem(v);
      if (problem !== undefined) fail(problem);
      const f = fold(v.name);
      if (node.values.has(f)) fail(`two values named ${JSON.stringify(v.name)}`);
      node.values.set(f, { kind: VALUE_SET, value: cloneValue(v) });
    }
  }
  if (spec.keys !== undefined) {
    if (typeof spec.keys !== 'object' || spec.keys === null) fail('keys is not an object');
    for (const [childName, child] of Object.entries(spec.keys)) {
      if (!isValidKeyName(childName)) fail(`invalid key name ${JSON.stringify(childName.slice(0, 300))}`);
      const f = fold(childName);
      if (node.subkeys.has(f)) fail(`two keys named ${JSON.stringify(childName)}`);
      node.subkeys.set(f, build(child, childName, where === '' ? childName : `${where}\\${childName}`, time, depth + 1));
    }
  }
  return node;
}

export interface HiveToSpecOptions {
  /** Include each key's lastWriteTime (default false). */
  times?: boolean;
}

/**
 * What a hive shows, as a spec: for a LayeredHive the merged view; for a
 * Hive on its own, its keys (tombstones show nothing). Keys in RegEnumKeyEx
 * order, values in RegEnumValue order; empty `values` / `keys` omitted.
 */
export function hiveToSpec(source: Hive | LayeredHive, options: HiveToSpecOptions = {}): HiveKeySpec {
  const view = source instanceof LayeredHive ? source : new LayeredHive([], source);
  return toSpec(view, view.root(), options.times === true);
}

function toSpec(view: LayeredHive, nodes: KeyNodes, times: boolean): HiveKeySpec {
  const spec: HiveKeySpec = {};
  const values = view.values(nodes);
  if (values.length > 0) spec.values = values;
  const names = view.subkeyNames(nodes);
  if (names.length > 0) {
    const keys: Record<string, HiveKeySpec> = {};
    for (const name of names) {
      // defineProperty: a key may be named __proto__.
      Object.defineProperty(keys, name, { value: toSpec(view, view.child(nodes, name)!, times), enumerable: true, writable: true, configurable: true });
    }
    spec.keys = keys;
  }
  if (times) spec.lastWriteTime = nodes[0]!.lastWriteTime;
  return spec;
}

/** One base hive holding what a layered hive shows (squashing layers and delta), times kept. */
export function flattenHive(source: LayeredHive): Hive {
  return hiveFromSpec(hiveToSpec(source, { times: true }));
}
