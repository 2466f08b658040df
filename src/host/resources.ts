/**
 * A container's resource settings as docker takes them on Windows: the
 * size syntax of `--memory` (go-units RAMInBytes) and the daemon's
 * validation of the processor and memory controls
 * (moby daemon/daemon_windows.go verifyPlatformContainerResources), with
 * its exact warnings and errors. windows-facts §3 "Docker maps".
 */
import { NtStatusError } from '../core/errors.js';
import { JOB_OBJECT_LIMIT_ACTIVE_PROCESS, JOB_OBJECT_LIMIT_JOB_MEMORY, type JobObjects } from '../core/jobs/index.js';

/** The resource fields winsilo honours, named as the Engine API's HostConfig names them. */
export interface ContainerResources {
  /** Bytes; 0 = no limit (JobMemoryLimit). */
  Memory?: number;
  /** Processors (`--cpu-count`); 0 = all. */
  CpuCount?: number;
  /** Relative weight 1–10000 (`--cpu-shares`); 0 = unset. */
  CpuShares?: number;
  /** Percent 1–100 (`--cpu-percent`); 0 = unset. */
  CpuPercent?: number;
  /** CPUs × 10^9 (`--cpus`); 0 = unset. */
  NanoCpus?: number;
  /** Settings Windows refuses (moby names them in its errors). */
  CpuPeriod?: number;
  CpuQuota?: number;
  CpusetCpus?: string;
  CpusetMems?: string;
  MemoryReservation?: number;
  MemorySwap?: number;
  MemorySwappiness?: number | null;
  OomKillDisable?: boolean | null;
  PidsLimit?: number | null;
  BlkioWeight?: number;
  CgroupParent?: string;
}

export const WINDOWS_MIN_CPU_SHARES = 1;
export const WINDOWS_MAX_CPU_SHARES = 10000;
export const WINDOWS_MIN_CPU_PERCENT = 1;
export const WINDOWS_MAX_CPU_PERCENT = 100;

/** A refused setting: the daemon's message, as `docker run` prints it after "Error response from daemon: ". */
export class InvalidResourcesError extends Error {
  override readonly name = 'InvalidResourcesError';
}

/**
 * Validates `r` for a Windows container and applies docker's precedence in
 * place (process isolation: CPU count, then shares, then percent — the
 * controls are mutually exclusive on Windows Server containers). Returns
 * the warnings docker prints; throws InvalidResourcesError with moby's
 * message for a refused setting. `cpus` is the host's processor count.
 */
export function verifyWindowsResources(r: ContainerResources, isHyperV: boolean, cpus: number): string[] {
  const warnings: string[] = [];
  // moby's fixMemorySwappiness: -1 means "unset".
  if (r.MemorySwappiness === -1) r.MemorySwappiness = null;
  if (!isHyperV) {
    if ((r.CpuCount ?? 0) > 0) {
      if ((r.CpuShares ?? 0) > 0) {
        warnings.push('Conflicting options: CPU count takes priority over CPU shares on Windows Server Containers. CPU shares discarded');
        r.CpuShares = 0;
      }
      if ((r.CpuPercent ?? 0) > 0) {
        warnings.push('Conflicting options: CPU count takes priority over CPU percent on Windows Server Containers. CPU percent discarded');
        r.CpuPercent = 0;
      }
    } else if ((r.CpuShares ?? 0) > 0 && (r.CpuPercent ?? 0) > 0) {
      warnings.push('Conflicting options: CPU shares takes priority over CPU percent on Windows Server Containers. CPU percent discarded');
      r.CpuPercent = 0;
    }
  }
  const shares = r.CpuShares ?? 0;
  const percent = r.CpuPercent ?? 0;
  const nano = r.NanoCpus ?? 0;
  const fail = (msg: string): never => {
    throw new InvalidResourcesError(msg);
  };
  if (shares < 0 || shares > WINDOWS_MAX_CPU_SHARES) fail(`range of CPUShares is from ${WINDOWS_MIN_CPU_SHARES} to ${WINDOWS_MAX_CPU_SHARES}`);
  if (percent < 0 || percent > WINDOWS_MAX_CPU_PERCENT) fail(`range of CPUPercent is from ${WINDOWS_MIN_CPU_PERCENT} to ${WINDOWS_MAX_CPU_PERCENT}`);
  if ((r.CpuCount ?? 0) < 0) fail('invalid CPUCount: CPUCount cannot be negative');
  if (nano > 0 && percent > 0) fail('conflicting options: Nano CPUs and CPU Percent cannot both be set');
  if (nano > 0 && shares > 0) fail('conflicting options: Nano CPUs and CPU Shares cannot both be set');
  if (nano !== 0 && (nano < 0 || nano > cpus * 1e9)) fail(`range of CPUs is from 0.01 to ${cpus}.00, as there are only ${cpus} CPUs available`);
  if ((r.BlkioWeight ?? 0) > 0) fail('invalid option: Windows does not support BlkioWeight');
  if (r.CgroupParent) fail('invalid option: Windows does not support CgroupParent');
  if ((r.CpuPeriod ?? 0) !== 0) fail('invalid option: Windows does not support CPUPeriod');
  if (r.CpusetCpus) fail('invalid option: Windows does not support CpusetCpus');
  if (r.CpusetMems) fail('invalid option: Windows does not support CpusetMems');
  if ((r.MemoryReservation ?? 0) !== 0) fail('invalid option: Windows does not support MemoryReservation');
  if ((r.MemorySwap ?? 0) !== 0) fail('invalid option: Windows does not support MemorySwap');
  if (r.MemorySwappiness !== undefined && r.MemorySwappiness !== null) fail('invalid option: Windows does not support MemorySwappiness');
  if (r.OomKillDisable) fail('invalid option: Windows does not support OomKillDisable');
  if (r.PidsLimit !== undefined && r.PidsLimit !== null && r.PidsLimit !== 0) fail('invalid option: Windows does not support PidsLimit');
  return warnings;
}

/**
 * Job limits every container gets where its settings give none. DECIDED
 * (facts are silent by design): docker on Windows sets no process-count
 * limit and, for process isolation, no memory limit unless `--memory` is
 * given — a container may use the whole host. A winsilo host is one Node
 * process, so a process bomb or a memory hog in one container would take
 * the daemon and every other container with it. These defaults are far
 * above what a real workload needs (a Server Core container idles at ~20
 * processes and well under 1 GiB of commit; IIS with a dozen worker
 * processes at a few hundred MiB) and low enough that one container can
 * never exhaust the host:
 *
 *  - `activeProcesses` — JOB_OBJECT_LIMIT_ACTIVE_PROCESS: the 1025th live
 *    process's CreateProcess fails with ERROR_NOT_ENOUGH_QUOTA (1816, "Not
 *    enough quota is available to process this command."). A simulated
 *    process costs the host ~10–50 KB of heap, so a full container stays
 *    under ~50 MB.
 *  - `jobMemoryBytes` — JOB_OBJECT_LIMIT_JOB_MEMORY when `--memory` is not
 *    given: commits past it fail with ERROR_COMMITMENT_LIMIT (1455). 4 GiB,
 *    a quarter of the simulated machine's 16 GB. (The host's own memory is
 *    guarded apart from this, by the kernel's machine commit limit:
 *    src/kernel/process/memory-guard.ts.)
 */
export const DEFAULT_CONTAINER_LIMITS = {
  activeProcesses: 1024,
  jobMemoryBytes: 4 * 2 ** 30,
} as const;

/**
 * Adds DEFAULT_CONTAINER_LIMITS to a started container's job
 * (SetInformationJobObject with the job's own limits kept): the
 * active-process limit always, the memory limit when the job has none.
 * Throws NtStatusError if the job refuses (it does not for these values).
 */
export function applyDefaultLimits(jobs: JobObjects, job: number): void {
  const cur = jobs.queryExtendedLimits(job).info;
  if (!cur) return;
  const basic = cur.BasicLimitInformation;
  let flags = basic.LimitFlags | JOB_OBJECT_LIMIT_ACTIVE_PROCESS;
  let jobMemory = cur.JobMemoryLimit;
  if ((basic.LimitFlags & JOB_OBJECT_LIMIT_JOB_MEMORY) === 0) {
    flags |= JOB_OBJECT_LIMIT_JOB_MEMORY;
    jobMemory = DEFAULT_CONTAINER_LIMITS.jobMemoryBytes;
  }
  const activeProcesses = (basic.LimitFlags & JOB_OBJECT_LIMIT_ACTIVE_PROCESS) !== 0 ? basic.ActiveProcessLimit : DEFAULT_CONTAINER_LIMITS.activeProcesses;
  const st = jobs.setExtendedLimits(job, {
    BasicLimitInformation: { ...basic, LimitFlags: flags, ActiveProcessLimit: activeProcesses },
    ProcessMemoryLimit: cur.ProcessMemoryLimit,
    JobMemoryLimit: jobMemory,
  });
  if (st < 0) throw new NtStatusError('SetInformationJobObject', st);
}

const BINARY_UNITS: Record<string, number> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/**
 * go-units RAMInBytes: `512m`, `1.5g`, `2GiB`, `1024` (bytes) — binary
 * units, case-insensitive, optional `b`/`ib`. Throws Error with go-units'
 * message ("invalid size: '…'", "invalid suffix: '…'", or strconv's
 * "strconv.ParseFloat: parsing \"…\": invalid syntax").
 */
export function ramInBytes(text: string): number {
  let sep = -1;
  for (let i = text.length - 1; i >= 0; i--) {
    if ('01234567890. '.includes(text[i]!)) {
      sep = i;
      break;
    }
  }
  if (sep === -1) throw new Error(`invalid size: '${text}'`);
  const num = text[sep] !== ' ' ? text.slice(0, sep + 1) : text.slice(0, sep);
  let sfx = text.slice(sep + 1);
  // strconv.ParseFloat's decimal syntax (what sizes use): digits with an optional fraction and exponent.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(num)) throw new Error(`strconv.ParseFloat: parsing ${JSON.stringify(num)}: invalid syntax`);
  let size = Number(num);
  if (size < 0) throw new Error(`invalid size: '${text}'`);
  if (sfx.length === 0) return Math.trunc(size);
  const bad = (): never => {
    throw new Error(`invalid suffix: '${sfx}'`);
  };
  if (sfx.length > 3) bad();
  sfx = sfx.toLowerCase();
  if (sfx[0] === 'b') {
    if (sfx.length > 1) bad();
    return Math.trunc(size);
  }
  const mul = BINARY_UNITS[sfx[0]!];
  if (mul === undefined) bad();
  size *= mul!;
  if ((sfx.length === 2 && sfx[1] !== 'b') || (sfx.length === 3 && sfx.slice(1) !== 'ib')) bad();
  return Math.trunc(size);
}
