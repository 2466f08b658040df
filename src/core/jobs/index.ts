export * from './types.js';
export * from './constants.js';
export { JOBS_LIMITS } from './limits.js';
export { WasmJobObjects, type WasmJobObjectsOptions } from './wasm.js';
export { RefJobObjects } from './reference.js';
