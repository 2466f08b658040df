/**
 * A hive: one tree of keys, as one file under `Hives/` of a Windows layer
 * holds it (SYSTEM, SOFTWARE, SAM, SECURITY, DEFAULT…). A hive is either a
 * base (every key simply exists) or a delta: the changes one container made
 * on top of the layers below it, where a key or value deleted from a layer
 * is recorded as a tombstone (README.md, "Terms").
 *
 * Keys are held by their upcased name (see names.ts) and keep the name as
 * created; values are held in creation order, which is the order RegEnumValue
 * gives (the regf value list is an array: a new value is appended, an
 * overwritten one keeps its place, a deleted one leaves the list).
 */
import type { RegistryValue } from './types.js';

/** A key node's state in its hive (how it combines with the layers below). */
export const KEY_MERGE = 0;
/** The key was deleted: it and everything below it in lower layers is hidden. */
export const KEY_TOMBSTONE = 1;
/** The key was deleted and created again: it exists, and lower layers' key of that name (values, subkeys) is hidden. */
export const KEY_OPAQUE = 2;
export type KeyState = typeof KEY_MERGE | typeof KEY_TOMBSTONE | typeof KEY_OPAQUE;

/** A value entry: sets the value (a new one is appended; one that exists below keeps its place). */
export const VALUE_SET = 0;
/** A value deleted from a lower layer. */
export const VALUE_TOMBSTONE = 1;
/** A value deleted from a lower layer and set again: it moves to the end, as a new value does. */
export const VALUE_RECREATED = 2;

export type ValueEntry =
  | { kind: typeof VALUE_SET | typeof VALUE_RECREATED; value: RegistryValue }
  | { kind: typeof VALUE_TOMBSTONE; name: string };

/**
 * One key of a hive. Owned by its hive; changed only through a writable
 * LayeredHive whose delta this hive is (layers are sealed).
 */
export class KeyNode {
  /** The name as created (case preserved); a hive's root may have any name, even ''. */
  name: string;
  state: KeyState;
  /** Last write time, ms since 1970-01-01 UTC. */
  lastWriteTime: number;
  /** By upcased value name, in creation order. */
  readonly values = new Map<string, ValueEntry>();
  /** By upcased key name; unordered (enumeration sorts). */
  readonly subkeys = new Map<string, KeyNode>();

  constructor(name: string, state: KeyState, lastWriteTime: number) {
    this.name = name;
    this.state = state;
    this.lastWriteTime = lastWriteTime;
  }
}

export class Hive {
  /** The hive's root key; never a tombstone. */
  readonly root: KeyNode;
  #sealed = false;

  constructor(root: KeyNode = new KeyNode('', KEY_MERGE, 0)) {
    this.root = root;
  }

  /**
   * True once the hive is stacked as a layer: from then on no view writes
   * it (the image layer's registry is shared by every container on it).
   */
  get sealed(): boolean {
    return this.#sealed;
  }

  /** Marks the hive read-only for good (LayeredHive seals its layers). */
  seal(): void {
    this.#sealed = true;
  }
}
