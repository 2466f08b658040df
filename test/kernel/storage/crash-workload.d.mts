export const BLOCK_SIZE: number;
export const DISK_BLOCKS: number;
export const MAX_OPS: number;
export type WorkloadOp =
  | { kind: 'create'; disk: number }
  | { kind: 'clone'; disk: number; src: number }
  | { kind: 'snapshot'; disk: number }
  | { kind: 'delete'; disk: number }
  | { kind: 'write'; disk: number; block: number; count: number; seq: number }
  | { kind: 'discard'; disk: number; block: number; count: number }
  | { kind: 'flush' };
export function prng(seed: number): () => number;
export function workload(seed: number): Generator<WorkloadOp, void, undefined>;
export function stampedBlocks(seq: number, count: number): Uint8Array;
