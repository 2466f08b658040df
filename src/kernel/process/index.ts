/** The process layer of the simulated host: see README.md. */
export * from './constants.js';
export { PROCESS_LIMITS, type ProcessLimits } from './limits.js';
export { HandleTable, type HandleTableOptions } from './handle-table.js';
export { commandLineToArgv, quoteArgument, argvToCommandLine } from './command-line.js';
export { Environment } from './environment.js';
export { Pipe, PipeReader, PipeWriter, NullDevice, NUL, encodeText, decodeText, type InputStream, type OutputStream } from './pipe.js';
export { Console, type ConsoleOptions, type ConsoleClient } from './console.js';
export { ProgramRegistry, residentProgram, isResident, imageKey, type Program } from './programs.js';
export { resolveImage, moduleNameCandidates, simpleFullPath, imageLookupCache, cachedProbe, type ImageProbe, type ImageSearch, type ResolvedImage, type ImageLookupCache, type ProbeAnswer } from './image-search.js';
export { imageProfile, type ImageProfile } from './image-profiles.js';
export { Process, ChildProcess, type CtrlHandler, type HandleEntry, type IoCounters, type ProcessState } from './process.js';
export {
  ProcessExitSignal,
  type ProcessContext,
  type SpawnOptions,
  type StdioOption,
  type ConsoleInfo,
  type NamedObjects,
  type ProcessSnapshot,
} from './context.js';
export { Kernel, type KernelOptions, type CreateProcessOptions, type Timers } from './kernel.js';
