/**
 * Limits and defaults of the compute service (house style §6: one source).
 * Each cites where Windows or hcsshim sets it, or says it is a decision.
 */
import { BLOCK_LIMITS } from '../core/blocks/limits.js';

const GiB = 2 ** 30;

export const HCS_LIMITS = {
  /**
   * A sandbox's size when the configuration gives none: "the default of
   * 20GB hard-coded in the platform" (moby daemon/graphdriver/windows/
   * windows.go, and the docs' `--storage-opt size` default). Docker asks
   * for MOBY_DEFAULT_SANDBOX_SIZE_BYTES instead.
   */
  defaultSandboxSizeBytes: 20 * GiB,
  /**
   * The largest StorageSandboxSize a sandbox can be given. Decision: the
   * block store's largest disk (2^40 bytes, BLOCK_LIMITS.maxVirtualSize);
   * a VHDX goes to 64 TB, so Windows accepts more. Above it the create
   * fails with ERROR_INVALID_PARAMETER.
   */
  maxSandboxSizeBytes: BLOCK_LIMITS.maxVirtualSize,
  /** Processors of a utility VM when the configuration gives none (hcsshim vmutils.DefaultProcessorCountForUVM: 2, or 1 on a one-CPU host). */
  utilityVmProcessorCount: 2,
  /** Memory of a utility VM when the configuration gives none (hcsshim internal/uvm/create.go: MemorySizeInMB 1024). */
  utilityVmMemoryInMB: 1024,
  /**
   * Pre-booted utility VMs kept ready per processor count (the
   * saved-state template HCS clones a Hyper-V container's VM from).
   * Decision: one; taking it starts booting its replacement in the
   * background.
   */
  spareUtilityVms: 1,
  /** CPU rate control's scale: percent × 100 (JOBOBJECT_CPU_RATE_CONTROL_INFORMATION CpuRate). */
  cpuRateScale: 10000,
  /** Job object weights run 1–9 ("Implementing resource controls", learn.microsoft.com). */
  maxJobWeight: 9,
  /** HCS ProcessorWeight and ProcessorMaximum run 1–10000 (schema1 ContainerConfig). */
  maxProcessorWeight: 10000,
  maxProcessorMaximum: 10000,
} as const;

/**
 * What moby asks HCS for: "Use 127GB as that's the default size of a VHD in
 * Hyper-V" (daemon/graphdriver/windows/windows.go defaultSandboxSize).
 */
export const MOBY_DEFAULT_SANDBOX_SIZE_BYTES = 127 * GiB;

export type HcsLimits = typeof HCS_LIMITS;
