/**
 * The compute service's documents, named as HCS names them: the compute
 * system's configuration (hcsshim schema1 ContainerConfig, the document
 * moby's libcontainerd/local sends: Owner, HostName, MappedDirectories,
 * MemoryMaximumInMB, ProcessorCount/Weight/Maximum, StorageSandboxSize),
 * the process parameters (schema2 ProcessParameters), the properties and
 * statistics (schema1 ContainerProperties, Statistics, ProcessListItem),
 * the enumeration query (schema1 ComputeSystemQuery) and the modify request
 * (schema2 ModifySettingRequest with the silo resource paths of hcsshim
 * internal/hcs/resourcepaths/silo.go).
 *
 * Times in properties are ISO 8601 strings, as HCS's JSON carries them;
 * durations are 100 ns units.
 */
import type { Image } from '../images/types.js';
import type { ProgramRegistry } from '../kernel/process/programs.js';
import type { Isolation } from './compat.js';
import type { Sandbox } from './sandbox.js';

/** A compute system's state (HCS `State`). */
export type ComputeSystemState = 'Created' | 'Running' | 'Paused' | 'Stopped';

/** How a system stopped (HCS schema2 SystemExitStatus.ExitType, a NotificationType). */
export type ExitType = 'GracefulExit' | 'ForcedExit' | 'UnexpectedExit';

/** HCS `SystemType`: a container, or a virtual machine (a Hyper-V container's utility VM). */
export type SystemType = 'Container' | 'VirtualMachine';

/** `-v HOST:CONTAINER[:ro]` as HCS takes it (schema1 MappedDir). */
export interface MappedDirectory {
  /** An existing directory on the host (the machine winsilo runs on). */
  HostPath: string;
  /** An absolute path in the container, e.g. `C:\data` (not `C:\` itself). */
  ContainerPath: string;
  /** Every change through the mapping is refused with ERROR_ACCESS_DENIED. */
  ReadOnly?: boolean;
}

/**
 * CreateComputeSystem's document. Owned by the caller until the call
 * returns; the system keeps a normalised copy (`ComputeSystem.config`).
 */
export interface ComputeSystemConfig {
  /** The management stack that created it (moby passes `docker`). Default ''. */
  Owner?: string;
  /** Default: the id. */
  Name?: string;
  /** Default: the service's (process on server SKUs, hyperv on clients — compat.ts defaultIsolation). */
  Isolation?: Isolation;
  /** The container's host name (Tcpip Hostname); COMPUTERNAME is it in capitals. Default: the id's first 12 characters. */
  HostName?: string;
  /** The image: layers lowest first, each a snapshotted disk with its hives; `base` gives the version and environment facts. */
  Image: Image;
  MappedDirectories?: readonly MappedDirectory[];
  /** JobMemoryLimit (process isolation) / the utility VM's memory (Hyper-V), in MiB. 0 or absent: no limit. */
  MemoryMaximumInMB?: number;
  /**
   * Processors. Process isolation simulates it with a hard CPU cap of
   * count/hostCpus × 10000 (resources.ts); Hyper-V gives the utility VM that
   * many processors. Mutually exclusive with ProcessorMaximum and ProcessorWeight.
   */
  ProcessorCount?: number;
  /** CPU cap as percent × 100 (1–10000): JOB_OBJECT_CPU_RATE_CONTROL_HARD_CAP. */
  ProcessorMaximum?: number;
  /** Relative weight 1–10000 (`--cpu-shares`): JOB_OBJECT_CPU_RATE_CONTROL_WEIGHT_BASED. */
  ProcessorWeight?: number;
  /**
   * Size in bytes the system drive should be expanded to if smaller
   * (schema1 StorageSandboxSize). Default HCS_LIMITS.defaultSandboxSizeBytes.
   */
  StorageSandboxSize?: number;
  /** The programs the container's processes run (chained under the kernel's); default the kernel's. */
  Programs?: ProgramRegistry;
  /**
   * An existing sandbox to run on instead of a new one — a stopped
   * container's scratch layer, as moby passes the same LayerFolderPath when
   * `docker start` creates the compute system again. It must be of the
   * same image and not in use by another system.
   */
  Sandbox?: Sandbox;
}

/** HcsCreateProcess's parameters (schema2 ProcessParameters). */
export interface ProcessParameters {
  CommandLine: string;
  ApplicationName?: string;
  /** Default `C:\`. */
  WorkingDirectory?: string;
  /** Added to (replacing same-named) variables of the user's environment block. */
  Environment?: Readonly<Record<string, string>>;
  /** A console (pseudo console) for the process: stdout carries its output, stderr is not used. */
  EmulateConsole?: boolean;
  /** Height, then width (schema2: "height then width"); [0, 0] or absent: 30 × 120. */
  ConsoleSize?: readonly [number, number];
  CreateStdInPipe?: boolean;
  CreateStdOutPipe?: boolean;
  CreateStdErrPipe?: boolean;
  /** `ContainerAdministrator` or `ContainerUser` (any case); default the image's default user. */
  User?: string;
}

/** SignalProcess's signals for Windows (hcsshim guestrequest SignalValueWCOW). */
export type ProcessSignal = 'CtrlC' | 'CtrlBreak' | 'CtrlClose' | 'CtrlLogOff' | 'CtrlShutdown';

/** HcsEnumerateComputeSystems' query (schema1 ComputeSystemQuery): every given list must match. */
export interface ComputeSystemQuery {
  Ids?: readonly string[];
  Types?: readonly SystemType[];
  Names?: readonly string[];
  Owners?: readonly string[];
}

/** One compute system as enumeration returns it (schema1 ContainerProperties without statistics). */
export interface ComputeSystemSummary {
  Id: string;
  Name: string;
  SystemType: SystemType;
  Owner: string;
  State: ComputeSystemState;
  RuntimeOsType: 'windows';
  /** A GUID, new for every start; the all-zero GUID before the first. */
  RuntimeId: string;
  /** The silo's namespace root (`\Silos\<id>`) while a container runs; absent otherwise. */
  ObRoot?: string;
  /** True once stopped. */
  Stopped?: boolean;
  /** Why it stopped (HCS schema NotificationType): `GracefulExit` (Shutdown) or `ForcedExit` (Terminate). */
  ExitType?: ExitType;
  /** For a Hyper-V container: its utility VM's id (`<id>@vm`). */
  HostingSystemId?: string;
}

export interface MemoryStats {
  MemoryUsageCommitBytes: number;
  MemoryUsageCommitPeakBytes: number;
  MemoryUsagePrivateWorkingSetBytes: number;
}

export interface ProcessorStats {
  TotalRuntime100ns: number;
  RuntimeUser100ns: number;
  RuntimeKernel100ns: number;
}

export interface StorageStats {
  ReadCountNormalized: number;
  ReadSizeBytes: number;
  WriteCountNormalized: number;
  WriteSizeBytes: number;
}

/** schema1 Statistics: what `docker stats` reads. */
export interface Statistics {
  Timestamp: string;
  ContainerStartTime: string;
  Uptime100ns: number;
  Processor: ProcessorStats;
  Memory: MemoryStats;
  Storage: StorageStats;
}

/** schema1 ProcessListItem: what `docker top` reads. */
export interface ProcessListItem {
  ProcessId: number;
  ImageName: string;
  CreateTimestamp: string;
  UserTime100ns: number;
  KernelTime100ns: number;
  MemoryCommitBytes: number;
  MemoryWorkingSetPrivateBytes: number;
  MemoryWorkingSetSharedBytes: number;
}

export type PropertyType = 'Statistics' | 'ProcessList';

/** HcsGetComputeSystemProperties' query (schema1 PropertyQuery). */
export interface PropertyQuery {
  PropertyTypes?: readonly PropertyType[];
}

/** HcsGetComputeSystemProperties' answer: the summary, with what the query asked for. */
export interface ComputeSystemProperties extends ComputeSystemSummary {
  Statistics?: Statistics;
  ProcessList?: ProcessListItem[];
}

/** The silo resource paths HCS modifies (hcsshim resourcepaths/silo.go). */
export const ResourcePath = {
  Memory: 'Container/Memory/SizeInMB',
  Processor: 'Container/Processor',
  MappedDirectories: 'Container/MappedDirectories',
} as const;

/**
 * HcsModifyComputeSystem's request (schema2 ModifySettingRequest):
 *  - `Container/Memory/SizeInMB`, Update, Settings: MiB (a number)
 *  - `Container/Processor`, Update, Settings: { Count?, Maximum?, Weight? }
 *  - `Container/MappedDirectories`, Add or Remove, Settings: MappedDirectory
 */
export interface ModifySettingRequest {
  ResourcePath: string;
  RequestType: 'Add' | 'Remove' | 'Update';
  Settings?: unknown;
}
