/**
 * Programs: the TypeScript functions that stand for executable images.
 * Nothing Windows runs here; when a process is created for
 * `C:\Windows\System32\cmd.exe`, the kernel looks the image path up in a
 * ProgramRegistry and runs the function as the process's main.
 *
 * Registries chain: the kernel's (system programs, the shell's), under it an
 * image's or a container's own (the embedding API registers users' programs
 * there as, say, `C:\Windows\System32\foo.exe`). A lookup tries the nearest
 * registry first. Image paths compare case-insensitively, as NTFS names do.
 */
import { fold } from '../../core/ob/upcase.js';
import { ERROR_INVALID_PARAMETER, Win32Error } from '../../core/win32.js';
import type { ProcessContext } from './context.js';

/**
 * A program's main: gets its process context, returns (or resolves to) the
 * exit code. `undefined` counts as 0; a number is taken as a DWORD (ToUint32).
 * A throw is an unhandled exception (ExitCode.UnhandledException).
 */
export type Program = (ctx: ProcessContext) => number | void | Promise<number | void>;

const residentTag = Symbol('winsilo.resident');

/**
 * A program that does nothing but wait until its process is ended (by its
 * service stopping, TerminateProcess, or the silo shutting down). The
 * kernel never calls it: the system processes of a silo are cheap records.
 */
export function residentProgram(name: string): Program {
  const p: Program = () => new Promise<number>(() => {});
  Object.defineProperty(p, 'name', { value: name });
  (p as unknown as Record<symbol, boolean>)[residentTag] = true;
  return p;
}

export function isResident(p: Program): boolean {
  return (p as unknown as Record<symbol, boolean>)[residentTag] === true;
}

/** The registry key for an image path: backslashes, folded case. */
export function imageKey(path: string): string {
  return fold(path.replace(/\//g, '\\'));
}

const ABSOLUTE = /^[A-Za-z]:\\[^\\]/;

export class ProgramRegistry {
  private readonly programs = new Map<string, { path: string; program: Program }>();

  constructor(readonly parent?: ProgramRegistry) {}

  /**
   * Makes `program` the main of the image at `imagePath`, an absolute Win32
   * path (`C:\Windows\System32\foo.exe`). Replaces an earlier registration
   * here; shadows one in a parent registry. ERROR_INVALID_PARAMETER for a
   * path that is not absolute.
   */
  register(imagePath: string, program: Program): void {
    const path = imagePath.replace(/\//g, '\\');
    if (!ABSOLUTE.test(path) || typeof program !== 'function') throw new Win32Error('RegisterProgram', ERROR_INVALID_PARAMETER, imagePath);
    this.programs.set(imageKey(path), { path, program });
  }

  /** Removes a registration made here (not one inherited). */
  unregister(imagePath: string): boolean {
    return this.programs.delete(imageKey(imagePath));
  }

  /** The program for an image path, nearest registry first. */
  get(imagePath: string): Program | undefined {
    const key = imageKey(imagePath);
    for (let r: ProgramRegistry | undefined = this; r; r = r.parent) {
      const e = r.programs.get(key);
      if (e) return e.program;
    }
    return undefined;
  }

  has(imagePath: string): boolean {
    return this.get(imagePath) !== undefined;
  }

  /** The path as registered (its case), nearest registry first. */
  registeredPath(imagePath: string): string | undefined {
    const key = imageKey(imagePath);
    for (let r: ProgramRegistry | undefined = this; r; r = r.parent) {
      const e = r.programs.get(key);
      if (e) return e.path;
    }
    return undefined;
  }

  /** The image paths registered here (not inherited), as registered. */
  ownPaths(): string[] {
    return [...this.programs.values()].map((e) => e.path);
  }

  /** Every image path visible from here, nearest registration winning. */
  paths(): string[] {
    const seen = new Map<string, string>();
    for (let r: ProgramRegistry | undefined = this; r; r = r.parent) {
      for (const [k, e] of r.programs) if (!seen.has(k)) seen.set(k, e.path);
    }
    return [...seen.values()];
  }
}
