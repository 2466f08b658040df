/** Durable storage of the simulated host: block stores journaled to the data root. */
export { JournaledBlockStore, type JournaledStoreOptions } from './journaled-store.js';
