export * from './types.js';
export { BLOCK_LIMITS } from './limits.js';
export { WasmBlockStore, type WasmBlockStoreOptions, type BlocksExports } from './wasm.js';
export { RefBlockStore } from './reference.js';
export {
  DELTA_MAGIC,
  DELTA_VERSION,
  DELTA_HEADER_BYTES,
  DELTA_ENTRY_BYTES,
  DeltaKind,
  DeltaWriter,
  parseDelta,
  type ParsedDelta,
} from './delta.js';
export { AuditProblem } from './audit.js';
