/**
 * SETLOCAL / ENDLOCAL (Microsoft Learn "setlocal", "endlocal"; ss64):
 * SETLOCAL saves the environment, the current directory and the
 * extensions/delayed-expansion settings; ENDLOCAL (or the end of the batch
 * level) restores them. Outside a batch file both do nothing. SETLOCAL's
 * arguments ENABLEEXTENSIONS, DISABLEEXTENSIONS, ENABLEDELAYEDEXPANSION,
 * DISABLEDELAYEDEXPANSION set ERRORLEVEL 0; anything else ERRORLEVEL 1.
 */
import type { InternalCommand } from '../interpreter.js';
import { MSG } from '../messages.js';

export const setlocal: InternalCommand = async (bc, args) => {
  const interp = bc.interp;
  const words = args.trim().split(/[ \t,;=]+/).filter((w) => w !== '').map((w) => w.toLowerCase());
  let bad = false;
  let delayed: boolean | undefined;
  let extensions: boolean | undefined;
  for (const w of words) {
    if (w === 'enabledelayedexpansion') delayed = true;
    else if (w === 'disabledelayedexpansion') delayed = false;
    else if (w === 'enableextensions') extensions = true;
    else if (w === 'disableextensions') extensions = false;
    else bad = true;
  }
  if (!interp.inBatch) return undefined;
  if (!interp.setlocal()) {
    await bc.stderr.write(MSG.setlocalMax);
    return undefined;
  }
  if (delayed !== undefined) interp.delayed = delayed;
  if (extensions !== undefined) interp.extensions = extensions;
  return bad ? 1 : 0;
};

export const endlocal: InternalCommand = async (bc) => {
  if (bc.interp.inBatch) bc.interp.endlocal();
  return undefined;
};
