/** winsilo's embedding entry point. The core is also at `winsilo/core`. */
export * from './core/index.js';
export { bootHostNamespace, hostNamespace } from './kernel/namespace/host.js';
export { createSiloNamespace, siloNamespace } from './kernel/namespace/silo.js';
