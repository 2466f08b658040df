/** The Windows version the shell shows (cmd's banner and VER, DISM's banner). */
import type { ProcessContext } from '../kernel/process/context.js';

/** `10.0.<CurrentBuild>.<UBR>` from the registry. DECIDED: a registry without the key shows Server 2022's build. */
export function windowsVersion(ctx: ProcessContext): string {
  const key = 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion';
  let build = '20348';
  let ubr = 0;
  try {
    const b = ctx.registry?.getValue(key, 'CurrentBuild');
    if (b && typeof b.data === 'string') build = b.data;
    const u = ctx.registry?.getValue(key, 'UBR');
    if (u && typeof u.data === 'number') ubr = u.data;
  } catch {
    /* Server 2022's build */
  }
  return `10.0.${build}.${ubr}`;
}
