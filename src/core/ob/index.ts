export * from './types.js';
export { OB_LIMITS } from './limits.js';
export { WasmObjectNamespace, type WasmObjectNamespaceOptions } from './wasm.js';
export { RefObjectNamespace } from './reference.js';
export { upcaseTable, fold } from './upcase.js';
