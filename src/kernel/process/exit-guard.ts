/**
 * ExitProcess ends every thread of a process; JavaScript cannot stop the
 * other promise chains a program left running. Once its process has ended,
 * ProcessContext methods throw ProcessExitSignal, and in a chain nobody
 * awaits that becomes an unhandled rejection — which Node would turn into
 * the end of the whole host. This guard swallows exactly those rejections.
 * Any other unhandled rejection is rethrown when no other listener exists,
 * so Node's default (end the host) is kept for real bugs.
 *
 * One listener per Node process (a global flag, not kernel state: every
 * kernel needs the same guard and it holds nothing).
 */
import { ProcessExitSignal } from './context.js';

const INSTALLED = Symbol.for('winsilo.exitSignalGuard');

export function installExitSignalGuard(): void {
  const g = globalThis as unknown as Record<symbol, boolean>;
  if (g[INSTALLED] || typeof process === 'undefined' || typeof process.on !== 'function') return;
  g[INSTALLED] = true;
  const listener = (reason: unknown) => {
    if (reason instanceof ProcessExitSignal) return;
    if (process.listenerCount('unhandledRejection') === 1) throw reason;
  };
  process.on('unhandledRejection', listener);
}
