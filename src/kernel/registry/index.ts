/**
 * The registry of the simulated host (issue 6 "Registry"): hives, layered
 * hives (image layers + a container's delta), their serialised form, and
 * the machine view programs use. README.md explains the terms.
 */
export * from './types.js';
export { REGISTRY_LIMITS } from './limits.js';
export { Hive, KeyNode, KEY_MERGE, KEY_TOMBSTONE, KEY_OPAQUE, VALUE_SET, VALUE_TOMBSTONE, VALUE_RECREATED, type KeyState, type ValueEntry } from './hive.js';
export { LayeredHive, type KeyNodes, type LayeredHiveOptions } from './layered.js';
export { hiveFromSpec, hiveToSpec, flattenHive, type HiveFromSpecOptions, type HiveToSpecOptions } from './spec.js';
export { serialiseHive, parseHive, HIVE_MAGIC, HIVE_FORMAT_VERSION } from './serialise.js';
export { createRegistry, type HiveStack, type RegistryOptions } from './machine.js';
export { parsePath, sortKeyNames, type RootKey, type RegistryPath } from './names.js';
