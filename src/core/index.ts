/** `winsilo/core`: the WASM core's typed bindings and their reference twins. */
export * from './ntstatus.js';
export * from './win32.js';
export { NtStatusError } from './errors.js';
export * as ob from './ob/index.js';
export * as jobs from './jobs/index.js';
export * as blocks from './blocks/index.js';
