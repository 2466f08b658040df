/**
 * Job objects backed by assembly/jobs (build/jobs.wasm).
 *
 * Every call is one export call with numeric arguments; structured results
 * come back through the module's OUT area (f64 slots) and are read with one
 * typed-array view; batches of charges are written straight into the
 * module's batch arrays (see ChargeBuffer).
 */
import { instantiateCore } from '../wasm.js';
import { STATUS_SUCCESS } from '../ntstatus.js';
import { JOBS_LIMITS } from './limits.js';
import type {
  BasicAndIoAccountingInformation,
  ChargeBuffer,
  CpuRateControlInformation,
  EffectiveLimits,
  ExtendedLimitInformation,
  ExtendedLimitInput,
  IoCounters,
  JobMessage,
  JobObjects,
  JobResult,
  MessagesResult,
  ProcessInformation,
  ProcessResult,
  Result,
  SchedulerInformation,
} from './types.js';

interface JobsExports extends WebAssembly.Exports {
  memory: WebAssembly.Memory;
  jobsInit(): number;
  jobsBuffers(): number;
  jobsLiveBytes(): number;
  arenaSetPageCeiling(pages: number): void;
  jobsConfigure(cpuCount: number, interval: number): number;
  jobsSchedulerInfo(): number;
  jobsCreateJob(parent: number): number;
  jobsCloseJob(job: number): number;
  jobsTerminateJob(job: number, code: number): number;
  jobsJobParent(job: number): number;
  jobsCreateProcess(parent: number, flags: number): number;
  jobsAssignProcess(job: number, process: number): number;
  jobsExitProcess(process: number, code: number): number;
  jobsDeleteProcess(process: number): number;
  jobsSetRunnable(process: number, threads: number): number;
  jobsQueryProcess(process: number): number;
  jobsCharge(process: number, kind: number, a: number, b: number): number;
  jobsChargeBatch(count: number): number;
  jobsQueryAccounting(job: number): number;
  jobsSetLimits(
    job: number, flags: number, active: number, priority: number, sched: number,
    procTime: number, jobTime: number, minWs: number, maxWs: number, affinity: number, procMem: number, jobMem: number,
  ): number;
  jobsQueryLimits(job: number): number;
  jobsQueryEffective(job: number): number;
  jobsSetCpuRate(job: number, flags: number, rate: number, weight: number, minRate: number, maxRate: number): number;
  jobsQueryCpuRate(job: number): number;
  jobsSetEndOfJobTime(job: number, action: number): number;
  jobsReadMessages(job: number, max: number): number;
  jobsTick(): number;
}

export interface WasmJobObjectsOptions {
  /** Cap the module's memory (64 KiB pages); exhaustion then answers STATUS_INSUFFICIENT_RESOURCES. */
  maxPages?: number;
}

/**
 * The batch arrays inside the module's memory. The getters re-create the
 * views when the memory has grown (which detaches the old ones), so read the
 * arrays from this object when you use them rather than keeping them.
 */
class WasmChargeBuffer implements ChargeBuffer {
  readonly capacity = JOBS_LIMITS.maxBatch;
  private mem: ArrayBuffer | null = null;
  private p!: Int32Array;
  private k!: Int32Array;
  private va!: Float64Array;
  private vb!: Float64Array;
  private st!: Int32Array;

  constructor(
    private readonly memory: WebAssembly.Memory,
    private readonly at: { process: number; kind: number; a: number; b: number; status: number },
  ) {}

  private views(): void {
    const b = this.memory.buffer;
    if (b === this.mem) return;
    this.mem = b;
    const n = this.capacity;
    this.p = new Int32Array(b, this.at.process, n);
    this.k = new Int32Array(b, this.at.kind, n);
    this.va = new Float64Array(b, this.at.a, n);
    this.vb = new Float64Array(b, this.at.b, n);
    this.st = new Int32Array(b, this.at.status, n);
  }
  get process(): Int32Array {
    this.views();
    return this.p;
  }
  get kind(): Int32Array {
    this.views();
    return this.k;
  }
  get a(): Float64Array {
    this.views();
    return this.va;
  }
  get b(): Float64Array {
    this.views();
    return this.vb;
  }
  get status(): Int32Array {
    this.views();
    return this.st;
  }
}

export class WasmJobObjects implements JobObjects {
  readonly impl = 'wasm' as const;
  private readonly x: JobsExports;
  private mem!: ArrayBuffer;
  private f64!: Float64Array;
  private u32!: Uint32Array;
  /** OUT as an index into f64. */
  private readonly OUT: number;
  /** MSGS as an index into u32. */
  private readonly MSGS: number;
  private readonly batch: WasmChargeBuffer;

  constructor(options: WasmJobObjectsOptions = {}) {
    this.x = instantiateCore<JobsExports>('jobs');
    if (this.x.jobsInit() !== STATUS_SUCCESS) throw new Error('winsilo: job objects could not be initialised (out of memory)');
    const meta = this.x.jobsBuffers() >>> 2;
    this.views();
    const u = this.u32;
    this.OUT = u[meta]! >>> 3;
    this.batch = new WasmChargeBuffer(this.x.memory, { process: u[meta + 1]!, kind: u[meta + 2]!, a: u[meta + 3]!, b: u[meta + 4]!, status: u[meta + 5]! });
    this.MSGS = u[meta + 6]! >>> 2;
    if (options.maxPages !== undefined) this.x.arenaSetPageCeiling(options.maxPages);
  }

  /** (Re)creates the typed views after the module's memory grew. */
  private views(): void {
    const b = this.x.memory.buffer;
    if (b === this.mem) return;
    this.mem = b;
    this.f64 = new Float64Array(b);
    this.u32 = new Uint32Array(b);
  }

  /** OUT slots start … start + n − 1, after a call that filled them. */
  private out(i: number): number {
    this.views();
    return this.f64[this.OUT + i]!;
  }

  private io(at: number): IoCounters {
    return {
      ReadOperationCount: this.out(at),
      WriteOperationCount: this.out(at + 1),
      OtherOperationCount: this.out(at + 2),
      ReadTransferCount: this.out(at + 3),
      WriteTransferCount: this.out(at + 4),
      OtherTransferCount: this.out(at + 5),
    };
  }

  configure(cpuCount: number, interval: number): number {
    return this.x.jobsConfigure(cpuCount | 0, interval | 0);
  }

  schedulerInformation(): SchedulerInformation {
    this.x.jobsSchedulerInfo();
    return { cpuCount: this.out(0), interval: this.out(1), now: this.out(2), lastGranted: this.out(3) };
  }

  createJob(parent = 0): JobResult {
    const r = this.x.jobsCreateJob(parent | 0);
    return r > 0 ? { status: STATUS_SUCCESS, job: r } : { status: r, job: 0 };
  }
  closeJob(job: number): number {
    return this.x.jobsCloseJob(job | 0);
  }
  terminateJob(job: number, exitCode: number): number {
    return this.x.jobsTerminateJob(job | 0, exitCode | 0);
  }
  jobParent(job: number): JobResult {
    const st = this.x.jobsJobParent(job | 0);
    return { status: st, job: st === STATUS_SUCCESS ? this.out(0) : 0 };
  }

  createProcess(parent: number, flags = 0): ProcessResult {
    const r = this.x.jobsCreateProcess(parent | 0, flags | 0);
    return r > 0 ? { status: STATUS_SUCCESS, process: r } : { status: r, process: 0 };
  }
  assignProcess(job: number, process: number): number {
    return this.x.jobsAssignProcess(job | 0, process | 0);
  }
  exitProcess(process: number, exitCode: number): number {
    return this.x.jobsExitProcess(process | 0, exitCode | 0);
  }
  deleteProcess(process: number): number {
    return this.x.jobsDeleteProcess(process | 0);
  }
  setRunnable(process: number, threads: number): number {
    return this.x.jobsSetRunnable(process | 0, threads | 0);
  }
  queryProcess(process: number): Result<ProcessInformation> {
    const st = this.x.jobsQueryProcess(process | 0);
    if (st !== STATUS_SUCCESS) return { status: st };
    return {
      status: st,
      info: {
        Job: this.out(0),
        Active: this.out(1) === 1,
        ExitCode: this.out(2),
        Threads: this.out(3),
        UserTime: this.out(4),
        KernelTime: this.out(5),
        PageFaultCount: this.out(6),
        IoCounters: this.io(7),
        PagefileUsage: this.out(13),
        PeakPagefileUsage: this.out(14),
      },
    };
  }

  charge(process: number, kind: number, a: number, b = 0): number {
    return this.x.jobsCharge(process | 0, kind | 0, a, b);
  }
  chargeBuffer(): ChargeBuffer {
    return this.batch;
  }
  chargeBatch(count: number): number {
    return this.x.jobsChargeBatch(count | 0);
  }
  queryAccounting(job: number): Result<BasicAndIoAccountingInformation> {
    const st = this.x.jobsQueryAccounting(job | 0);
    if (st !== STATUS_SUCCESS) return { status: st };
    return {
      status: st,
      info: {
        BasicInfo: {
          TotalUserTime: this.out(0),
          TotalKernelTime: this.out(1),
          ThisPeriodTotalUserTime: this.out(2),
          ThisPeriodTotalKernelTime: this.out(3),
          TotalPageFaultCount: this.out(4),
          TotalProcesses: this.out(5),
          ActiveProcesses: this.out(6),
          TotalTerminatedProcesses: this.out(7),
        },
        IoInfo: this.io(8),
      },
    };
  }

  setExtendedLimits(job: number, info: ExtendedLimitInput): number {
    const bl = info.BasicLimitInformation;
    // Members left out read as 0, as in a zero-initialised structure.
    return this.x.jobsSetLimits(
      job | 0, bl.LimitFlags | 0, (bl.ActiveProcessLimit ?? 0) | 0, (bl.PriorityClass ?? 0) | 0, (bl.SchedulingClass ?? 0) | 0,
      bl.PerProcessUserTimeLimit ?? 0, bl.PerJobUserTimeLimit ?? 0, bl.MinimumWorkingSetSize ?? 0, bl.MaximumWorkingSetSize ?? 0,
      bl.Affinity ?? 0, info.ProcessMemoryLimit ?? 0, info.JobMemoryLimit ?? 0,
    );
  }
  queryExtendedLimits(job: number): Result<ExtendedLimitInformation> {
    const st = this.x.jobsQueryLimits(job | 0);
    if (st !== STATUS_SUCCESS) return { status: st };
    return {
      status: st,
      info: {
        BasicLimitInformation: {
          PerProcessUserTimeLimit: this.out(0),
          PerJobUserTimeLimit: this.out(1),
          LimitFlags: this.out(2),
          MinimumWorkingSetSize: this.out(3),
          MaximumWorkingSetSize: this.out(4),
          ActiveProcessLimit: this.out(5),
          Affinity: this.out(6),
          PriorityClass: this.out(7),
          SchedulingClass: this.out(8),
        },
        IoInfo: { ReadOperationCount: 0, WriteOperationCount: 0, OtherOperationCount: 0, ReadTransferCount: 0, WriteTransferCount: 0, OtherTransferCount: 0 },
        ProcessMemoryLimit: this.out(9),
        JobMemoryLimit: this.out(10),
        PeakProcessMemoryUsed: this.out(11),
        PeakJobMemoryUsed: this.out(12),
      },
    };
  }
  queryEffectiveLimits(job: number): Result<EffectiveLimits> {
    const st = this.x.jobsQueryEffective(job | 0);
    if (st !== STATUS_SUCCESS) return { status: st };
    return {
      status: st,
      info: {
        LimitFlags: this.out(0),
        PerProcessUserTimeLimit: this.out(1),
        ProcessMemoryLimit: this.out(2),
        Affinity: this.out(3),
        PriorityClass: this.out(4),
        SchedulingClass: this.out(5),
        MinimumWorkingSetSize: this.out(6),
        MaximumWorkingSetSize: this.out(7),
      },
    };
  }
  setCpuRateControl(job: number, info: CpuRateControlInformation): number {
    return this.x.jobsSetCpuRate(job | 0, info.ControlFlags | 0, (info.CpuRate ?? 0) | 0, (info.Weight ?? 0) | 0, (info.MinRate ?? 0) | 0, (info.MaxRate ?? 0) | 0);
  }
  queryCpuRateControl(job: number): Result<Required<CpuRateControlInformation>> {
    const st = this.x.jobsQueryCpuRate(job | 0);
    if (st !== STATUS_SUCCESS) return { status: st };
    const v = this.out(1);
    return { status: st, info: { ControlFlags: this.out(0), CpuRate: v, Weight: v, MinRate: v % 65536, MaxRate: Math.floor(v / 65536) } };
  }
  setEndOfJobTimeAction(job: number, action: number): number {
    return this.x.jobsSetEndOfJobTime(job | 0, action | 0);
  }

  readMessages(job: number, max = 64): MessagesResult {
    const n = this.x.jobsReadMessages(job | 0, max | 0);
    if (n < 0) return { status: n, messages: [], dropped: 0 };
    this.views();
    const u = this.u32;
    const messages: JobMessage[] = [];
    for (let i = 0, at = this.MSGS; i < n; i++, at += 3) messages.push({ message: u[at]!, process: u[at + 1]!, job: u[at + 2]! });
    return { status: STATUS_SUCCESS, messages, dropped: this.out(0) };
  }

  tick(): number {
    return this.x.jobsTick();
  }

  /** Bytes of the module's linear memory in live use, and its total size. */
  memoryUsage(): { live: number; total: number } {
    return { live: this.x.jobsLiveBytes(), total: this.x.memory.buffer.byteLength };
  }
}
