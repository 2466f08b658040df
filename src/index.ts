/** winsilo's embedding entry point. The core is also at `winsilo/core`. */
export * from './core/index.js';
export { bootHostNamespace, hostNamespace } from './kernel/namespace/host.js';
export { createSiloNamespace, siloNamespace } from './kernel/namespace/silo.js';
export { Host, Container, type HostInternals } from './host/host.js';
export { HostError } from './host/errors.js';
export type * from './host/types.js';
export type { ProcessContext, Program } from './kernel/process/index.js';
