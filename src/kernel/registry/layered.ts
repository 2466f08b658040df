/**
 * A layered hive: the hive as a container sees it — the image layers'
 * hives (read-only, lowest first) with the container's writable delta on
 * top (windows-facts §4). Opening one is O(1): nothing is copied; every
 * lookup walks the layers key by key. Writes go only to the delta; deleting
 * something a layer holds leaves a tombstone in the delta, so the layers
 * (shared by every container on the image) never change.
 *
 * How a key path resolves: start from every hive's root, topmost first; at
 * each name keep, top to bottom, the hives' nodes of that name, stopping at
 * a tombstone (the key is hidden from there down) or after an opaque node
 * (it hides everything below it). The key exists if any node was kept; the
 * topmost kept node gives its name and last write time. Subkeys merge by
 * name the same way; values merge bottom to top (hive.ts, VALUE_*).
 *
 * Errors (Win32Error), as RegCreateKeyEx and friends return them:
 *  - ERROR_FILE_NOT_FOUND (2)     the key or value does not exist
 *  - ERROR_ACCESS_DENIED (5)      RegDeleteKey of a key with subkeys; deleting the
 *                                 hive's root key (KEY_NO_DELETE: STATUS_CANNOT_DELETE);
 *                                 any write when there is no writable delta
 *  - ERROR_INVALID_PARAMETER (87) creating a key deeper than REGISTRY_LIMITS.maxTreeDepth
 * Values handed to setValue must already be checked (values.ts checkValue).
 */
import { ERROR_ACCESS_DENIED, ERROR_FILE_NOT_FOUND, ERROR_INVALID_PARAMETER, Win32Error } from '../../core/win32.js';
import { Hive, KEY_MERGE, KEY_OPAQUE, KEY_TOMBSTONE, KeyNode, VALUE_RECREATED, VALUE_SET, VALUE_TOMBSTONE } from './hive.js';
import { REGISTRY_LIMITS } from './limits.js';
import { compareFolded, fold } from './names.js';
import type { KeyInfo, RegistryValue } from './types.js';
import { cloneValue } from './values.js';

/** The nodes of one key in every hive that shows it, topmost first (never empty). */
export type KeyNodes = readonly KeyNode[];

export interface LayeredHiveOptions {
  /** Last-write times, ms since 1970 (default Date.now). */
  clock?: () => number;
  /** The name a key's info reports for the hive's root (the mount name, e.g. SYSTEM). */
  rootName?: string;
}

export class LayeredHive {
  /** The read-only layers, lowest first; sealed by the constructor. */
  readonly layers: readonly Hive[];
  /** The writable delta on top, if any (owned by the container; serialise it for `docker commit`). */
  readonly delta: Hive | undefined;
  readonly rootName: string;
  readonly #clock: () => number;
  /** Every hive's root, topmost first. */
  readonly #roots: KeyNodes;

  constructor(layers: readonly Hive[], delta?: Hive, options: LayeredHiveOptions = {}) {
    for (const layer of layers) layer.seal();
    this.layers = [...layers];
    this.delta = delta;
    this.rootName = options.rootName ?? '';
    this.#clock = options.clock ?? Date.now;
    const roots = layers.map((l) => l.root).reverse();
    if (delta !== undefined) roots.unshift(delta.root);
    this.#roots = roots;
  }

  /** True if writes are possible: there is a delta and it has not been stacked as a layer since. */
  get writable(): boolean {
    return this.delta !== undefined && !this.delta.sealed;
  }

  // ---- Reads -------------------------------------------------------------

  /** The hive's root key. */
  root(): KeyNodes {
    return this.#roots;
  }

  /** The subkey `name` of a key, or undefined if it does not exist. */
  child(nodes: KeyNodes, name: string): KeyNodes | undefined {
    return descend(nodes, fold(name));
  }

  /** The key at `path` (names below the hive's root), or undefined. */
  walk(path: readonly string[]): KeyNodes | undefined {
    let nodes: KeyNodes | undefined = this.#roots;
    for (const name of path) {
      nodes = descend(nodes, fold(name));
      if (nodes === undefined) return undefined;
    }
    return nodes;
  }

  /** Subkey names in RegEnumKeyEx order (upcased-name order). */
  subkeyNames(nodes: KeyNodes): string[] {
    const merged = mergedSubkeys(nodes);
    return [...merged.keys()].sort(compareFolded).map((f) => merged.get(f)!);
  }

  /** Values in RegEnumValue order (creation order), as copies. */
  values(nodes: KeyNodes): RegistryValue[] {
    return [...mergedValues(nodes).values()].map((v) => cloneValue(v));
  }

  /** One value (a copy), or undefined. */
  value(nodes: KeyNodes, name: string): RegistryValue | undefined {
    const v = valueIn(nodes, fold(name));
    return v === undefined ? undefined : cloneValue(v);
  }

  /**
   * The layers' nodes of the key at `path` (names below the hive's root)
   * when what enumeration shows of it — its values, its subkeys' names and
   * their values — comes from the layers alone: the delta has no node
   * there, or only pass-through ones (state merge, no value entries) for
   * the key and for subkeys the layers hold, spelled as the layers spell
   * them. Undefined otherwise, and for a missing key. Layers are sealed, so
   * two views answering the same nodes (element by element) show the same
   * there, last-write times aside: a cache key for readers of a whole key
   * (services.exe's database, read at every boot). Deeper keys are not
   * covered.
   */
  layerNodes(path: readonly string[]): KeyNodes | undefined {
    const nodes = this.walk(path);
    if (nodes === undefined) return undefined;
    let d: KeyNode | undefined = this.delta?.root;
    for (let i = 0; d !== undefined && i < path.length; i++) d = d.subkeys.get(fold(path[i]!));
    if (d === undefined) return nodes;
    if (d !== nodes[0] || d.state !== KEY_MERGE || d.values.size > 0 || nodes.length < 2) return undefined;
    const layers = nodes.slice(1);
    for (const [f, c] of d.subkeys) {
      if (c.state !== KEY_MERGE || c.values.size > 0) return undefined;
      const below = descend(layers, f);
      if (below === undefined || below[0]!.name !== c.name) return undefined;
    }
    return layers;
  }

  info(nodes: KeyNodes): KeyInfo {
    const top = nodes[0]!;
    return {
      name: nodes === this.#roots ? this.rootName : top.name,
      subkeys: mergedSubkeys(nodes).size,
      values: mergedValues(nodes).size,
      lastWriteTime: top.lastWriteTime,
    };
  }

  // ---- Writes (paths are key names below the hive's root) ---------------

  /** RegCreateKeyEx: creates the missing keys along `path`. */
  createKey(op: string, object: string, path: readonly string[]): { created: boolean } {
    let nodes: KeyNodes = this.#roots;
    let have = 0;
    for (; have < path.length; have++) {
      const next = descend(nodes, fold(path[have]!));
      if (next === undefined) break;
      nodes = next;
    }
    if (have === path.length) return { created: false };
    this.#checkWritable(op, object);
    if (path.length > REGISTRY_LIMITS.maxTreeDepth) throw new Win32Error(op, ERROR_INVALID_PARAMETER, object);
    const now = this.#now();
    let d = this.#ensureDelta(path.slice(0, have)).node;
    d.lastWriteTime = now;
    for (let i = have; i < path.length; i++) {
      const name = path[i]!;
      const f = fold(name);
      const old = d.subkeys.get(f);
      if (old !== undefined && old.state === KEY_TOMBSTONE) {
        // Deleted in this delta, created again: it exists, empty, and the
        // lower layers' key of that name stays hidden.
        old.state = KEY_OPAQUE;
        old.name = name;
        old.lastWriteTime = now;
        d = old;
      } else {
        const n = new KeyNode(name, KEY_MERGE, now);
        d.subkeys.set(f, n);
        d = n;
      }
    }
    return { created: true };
  }

  /** RegDeleteKey: the key must have no subkeys. */
  deleteKey(op: string, object: string, path: readonly string[]): void {
    const nodes = this.#existing(op, object, path);
    if (path.length === 0 || mergedSubkeys(nodes).size > 0) throw new Win32Error(op, ERROR_ACCESS_DENIED, object);
    this.#checkWritable(op, object);
    this.#remove(path);
  }

  /** RegDeleteTree of a key and all below it. */
  deleteTree(op: string, object: string, path: readonly string[]): void {
    this.#existing(op, object, path);
    if (path.length === 0) throw new Win32Error(op, ERROR_ACCESS_DENIED, object);
    this.#checkWritable(op, object);
    this.#remove(path);
  }

  /** RegSetValueEx with a value already checked (values.ts checkValue); the hive keeps `value`. */
  setValue(op: string, object: string, path: readonly string[], value: RegistryValue): void {
    this.#existing(op, object, path);
    this.#checkWritable(op, object);
    const { node: d, nodes } = this.#ensureDelta(path);
    const f = fold(value.name);
    const old = d.values.get(f);
    if (old !== undefined && old.kind === VALUE_TOMBSTONE) {
      // Deleted from a lower layer, set again: a new value, at the end.
      d.values.delete(f);
      d.values.set(f, { kind: VALUE_RECREATED, value });
    } else if (old !== undefined) {
      // An existing value keeps its name and its place (CmSetValueKey reuses the cell).
      old.value = cloneValue(value, old.value.name);
    } else {
      const below = valueIn(nodes.slice(1), f);
      d.values.set(f, { kind: VALUE_SET, value: below === undefined ? value : cloneValue(value, below.name) });
    }
    d.lastWriteTime = this.#now();
  }

  /** RegDeleteValue. */
  deleteValue(op: string, object: string, path: readonly string[], name: string): void {
    const nodes = this.#existing(op, object, path);
    const f = fold(name);
    if (valueIn(nodes, f) === undefined) throw new Win32Error(op, ERROR_FILE_NOT_FOUND, object);
    this.#checkWritable(op, object);
    const { node: d, nodes: withDelta } = this.#ensureDelta(path);
    const below = valueIn(withDelta.slice(1), f);
    d.values.delete(f);
    if (below !== undefined) d.values.set(f, { kind: VALUE_TOMBSTONE, name: below.name });
    d.lastWriteTime = this.#now();
  }

  // ---- Internals ----------------------------------------------------------

  #existing(op: string, object: string, path: readonly string[]): KeyNodes {
    const nodes = this.walk(path);
    if (nodes === undefined) throw new Win32Error(op, ERROR_FILE_NOT_FOUND, object);
    return nodes;
  }

  #checkWritable(op: string, object: string): void {
    if (!this.writable) throw new Win32Error(op, ERROR_ACCESS_DENIED, object);
  }

  #now(): number {
    const t = this.#clock();
    // -0 and 0 must serialise alike; a clock that fails gives the epoch.
    return Number.isFinite(t) ? t + 0 : 0;
  }

  /**
   * The delta's node for an existing key, creating pass-through nodes (state
   * merge, the visible name and time) down to it. Returns it with the key's
   * nodes, the delta's first.
   */
  #ensureDelta(path: readonly string[]): { node: KeyNode; nodes: KeyNodes } {
    let nodes: KeyNodes = this.#roots;
    let d = this.delta!.root;
    for (const name of path) {
      const f = fold(name);
      let next = descend(nodes, f)!;
      let dc = d.subkeys.get(f);
      if (dc === undefined) {
        const top = next[0]!;
        dc = new KeyNode(top.name, KEY_MERGE, top.lastWriteTime);
        d.subkeys.set(f, dc);
        next = [dc, ...next];
      }
      d = dc;
      nodes = next;
    }
    return { node: d, nodes };
  }

  /** Deletes an existing key and its subtree: a tombstone if a lower layer shows it, else just the delta's node. */
  #remove(path: readonly string[]): void {
    const { node: parent, nodes } = this.#ensureDelta(path.slice(0, -1));
    const f = fold(path[path.length - 1]!);
    const visible = descend(nodes, f)!;
    const below = descend(nodes.slice(1), f);
    const now = this.#now();
    if (below !== undefined) parent.subkeys.set(f, new KeyNode(visible[0]!.name, KEY_TOMBSTONE, now));
    else parent.subkeys.delete(f);
    parent.lastWriteTime = now;
  }
}

/** The nodes of subkey `f` (upcased) of a key, or undefined if it does not exist. */
function descend(nodes: KeyNodes, f: string): KeyNodes | undefined {
  let out: KeyNode[] | undefined;
  for (const n of nodes) {
    const c = n.subkeys.get(f);
    if (c === undefined) continue;
    if (c.state === KEY_TOMBSTONE) break;
    (out ??= []).push(c);
    if (c.state === KEY_OPAQUE) break;
  }
  return out;
}

/** Upcased name → name of every subkey, the topmost hive's spelling winning. */
function mergedSubkeys(nodes: KeyNodes): Map<string, string> {
  const names = new Map<string, string>();
  if (nodes.length === 1) {
    for (const [f, c] of nodes[0]!.subkeys) if (c.state !== KEY_TOMBSTONE) names.set(f, c.name);
    return names;
  }
  const hidden = new Set<string>();
  for (const n of nodes) {
    for (const [f, c] of n.subkeys) {
      if (names.has(f) || hidden.has(f)) continue;
      if (c.state === KEY_TOMBSTONE) hidden.add(f);
      else names.set(f, c.name);
    }
  }
  return names;
}

/** The values of a key in RegEnumValue order, applying each hive's entries bottom to top. */
function mergedValues(nodes: KeyNodes): Map<string, RegistryValue> {
  const list = new Map<string, RegistryValue>();
  for (let i = nodes.length - 1; i >= 0; i--) {
    for (const [f, e] of nodes[i]!.values) {
      if (e.kind === VALUE_TOMBSTONE) list.delete(f);
      else if (e.kind === VALUE_RECREATED) {
        list.delete(f);
        list.set(f, e.value);
      } else list.set(f, e.value); // in place if present, else appended
    }
  }
  return list;
}

/** Value `f` (upcased) as the topmost hive that mentions it says. */
function valueIn(nodes: KeyNodes, f: string): RegistryValue | undefined {
  for (const n of nodes) {
    const e = n.values.get(f);
    if (e !== undefined) return e.kind === VALUE_TOMBSTONE ? undefined : e.value;
  }
  return undefined;
}
