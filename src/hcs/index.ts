/** The Host Compute Service: compute systems, isolation, compatibility, processes. See README.md. */
export * from './errors.js';
export * from './types.js';
export { HCS_LIMITS, MOBY_DEFAULT_SANDBOX_SIZE_BYTES, type HcsLimits } from './limits.js';
export {
  type Isolation,
  type HostSku,
  InvalidIsolationError,
  InvalidDaemonIsolationError,
  ImageIncompatibleError,
  OP_CREATE_COMPUTE_SYSTEM,
  defaultIsolation,
  daemonIsolation,
  resolveIsolation,
  processIsolationCompatible,
  hypervIsolationCompatible,
  oldestProcessIsolatedBuild,
  isCompatible,
  checkComputeSystemCompat,
  checkImageCompatibility,
} from './compat.js';
export * from './versions.js';
export { ComputeService, type ComputeServiceOptions } from './service.js';
export { ComputeSystem, type ComputeSystemSettings, type StateListener } from './compute-system.js';
export { ComputeProcess, SIGNAL_EVENTS } from './process.js';
export { Sandbox, createSandbox, writeIdentity, CONTAINER_USER_SIDS } from './sandbox.js';
export { mappedDirectoryGuid, nameBasedGuid, normaliseContainerPath, DetachableVolume, type ActiveMapping } from './mapped-directories.js';
export { cpuRateFor, memoryLimits, jobWeight, resourceProblem, type ProcessorSettings } from './resources.js';
export { UtilityVm, UtilityVmPool, bootUtilityVmKernel, VMWP_IMAGE, type UtilityVmPoolOptions } from './utility-vm.js';
export { formatHcsdiagList, hcsdiagType } from './hcsdiag.js';
