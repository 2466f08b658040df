/**
 * A compute system's resource controls as the silo's job object carries
 * them ("Implementing resource controls for Windows containers",
 * learn.microsoft.com/virtualization/windowscontainers/manage-containers/
 * resource-controls, windows-facts §3):
 *
 * | HCS                | shared kernel (process isolation)                        |
 * |--------------------|----------------------------------------------------------|
 * | MemoryMaximumInMB  | JOB_OBJECT_LIMIT_JOB_MEMORY                              |
 * | ProcessorCount     | "simulated with JOB_OBJECT_CPU_RATE_CONTROL_HARD_CAP"    |
 * | ProcessorMaximum   | JOB_OBJECT_CPU_RATE_CONTROL_HARD_CAP                     |
 * | ProcessorWeight    | JOB_OBJECT_CPU_RATE_CONTROL_WEIGHT_BASED                 |
 *
 * The simulation of a processor count: a cap of count / hostCpus × 10000
 * (the share of the host's processors), truncated — the same arithmetic
 * moby and hcsshim use to turn `--cpus` into a ProcessorMaximum
 * (hcsoci/hcsdoc_wcow.go: `10000 * cpus / NumCPU`; a `--cpus=3.53` on 8
 * processors reads back as CpuRate 4412, mcneel/docker-windows-resource-info).
 * A count at or above the host's is no limit (hcsshim NormalizeProcessorCount
 * caps the count at the host's). Under Hyper-V the count is the utility VM's
 * processor count instead, and the job gets no cap from it.
 *
 * The weight: HCS's 1–10000 onto the job's 1–9 — "a share weight of 7500
 * would result in a weight of 7 or a share weight of 2500 would result in a
 * value of 2" (same page): weight = ⌊shares / 1000⌋ clamped to 1–9, the
 * simplest rule giving both examples (decision: the exact formula is not
 * documented).
 *
 * Count, maximum and weight are mutually exclusive (hcsshim
 * ConvertCPULimits refuses two of them; moby applies its precedence
 * before — src/host/resources.ts): two given is ERROR_VMCOMPUTE_INVALID_JSON.
 */
import {
  JOB_OBJECT_CPU_RATE_CONTROL_ENABLE,
  JOB_OBJECT_CPU_RATE_CONTROL_HARD_CAP,
  JOB_OBJECT_CPU_RATE_CONTROL_WEIGHT_BASED,
  JOB_OBJECT_LIMIT_JOB_MEMORY,
  type CpuRateControlInformation,
  type ExtendedLimitInput,
} from '../core/jobs/index.js';
import { HCS_LIMITS } from './limits.js';

const MiB = 2 ** 20;

export interface ProcessorSettings {
  Count?: number;
  Maximum?: number;
  Weight?: number;
}

/** What a configuration's numbers must be; undefined when sound, else the problem. */
export function resourceProblem(c: { MemoryMaximumInMB?: number; ProcessorCount?: number; ProcessorMaximum?: number; ProcessorWeight?: number; StorageSandboxSize?: number }): string | undefined {
  const int = (v: number | undefined, min: number, max: number) => v === undefined || (Number.isSafeInteger(v) && v >= min && v <= max);
  if (!int(c.MemoryMaximumInMB, 0, Number.MAX_SAFE_INTEGER / MiB)) return 'MemoryMaximumInMB';
  if (!int(c.ProcessorCount, 0, 1024)) return 'ProcessorCount';
  if (!int(c.ProcessorMaximum, 0, HCS_LIMITS.maxProcessorMaximum)) return 'ProcessorMaximum';
  if (!int(c.ProcessorWeight, 0, HCS_LIMITS.maxProcessorWeight)) return 'ProcessorWeight';
  if (!int(c.StorageSandboxSize, 0, Number.MAX_SAFE_INTEGER)) return 'StorageSandboxSize';
  const set = [c.ProcessorCount, c.ProcessorMaximum, c.ProcessorWeight].filter((v) => v !== undefined && v > 0).length;
  if (set > 1) return 'ProcessorCount, ProcessorMaximum and ProcessorWeight are mutually exclusive';
  return undefined;
}

/** JOBOBJECT_EXTENDED_LIMIT_INFORMATION for a memory limit in MiB (0/undefined: none). */
export function memoryLimits(memoryMaximumInMB: number | undefined): ExtendedLimitInput | undefined {
  if (!memoryMaximumInMB) return undefined;
  return { BasicLimitInformation: { LimitFlags: JOB_OBJECT_LIMIT_JOB_MEMORY }, JobMemoryLimit: memoryMaximumInMB * MiB };
}

/** Job weight (1–9) for an HCS ProcessorWeight (1–10000). */
export function jobWeight(processorWeight: number): number {
  return Math.min(HCS_LIMITS.maxJobWeight, Math.max(1, Math.floor(processorWeight / 1000)));
}

/**
 * JOBOBJECT_CPU_RATE_CONTROL_INFORMATION for the processor settings;
 * undefined when there is nothing to control. `cpus`: the processors the
 * job competes on (the host's, or the utility VM's); `countIsVm`: under
 * Hyper-V the count sizes the VM and adds no cap.
 */
export function cpuRateFor(p: ProcessorSettings, cpus: number, countIsVm: boolean): CpuRateControlInformation | undefined {
  if (p.Maximum) {
    return { ControlFlags: JOB_OBJECT_CPU_RATE_CONTROL_ENABLE | JOB_OBJECT_CPU_RATE_CONTROL_HARD_CAP, CpuRate: p.Maximum };
  }
  if (p.Weight) {
    return { ControlFlags: JOB_OBJECT_CPU_RATE_CONTROL_ENABLE | JOB_OBJECT_CPU_RATE_CONTROL_WEIGHT_BASED, Weight: jobWeight(p.Weight) };
  }
  if (p.Count && !countIsVm && p.Count < cpus) {
    const rate = Math.max(1, Math.floor((p.Count * HCS_LIMITS.cpuRateScale) / cpus));
    return { ControlFlags: JOB_OBJECT_CPU_RATE_CONTROL_ENABLE | JOB_OBJECT_CPU_RATE_CONTROL_HARD_CAP, CpuRate: rate };
  }
  return undefined;
}
