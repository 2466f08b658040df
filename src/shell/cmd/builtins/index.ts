/**
 * cmd's internal commands by name: the interpreter's own and, merged in,
 * the file commands of ../files (fileBuiltins). This table is also the
 * support matrix (house style §7): `support` says how complete each is.
 */
import { fileBuiltins } from '../files/index.js';
import type { InternalCommand } from '../interpreter.js';
import { cd, popd, pushd } from './dirs.js';
import { call, exit, goto, shift } from './control.js';
import { echo } from './echo.js';
import { breakCmd, cls, color, date, path, pause, prompt, start, time, title, ver, verify, vol } from './misc.js';
import { endlocal, setlocal } from './scope.js';
import { set } from './set.js';

export type Support = 'supported' | 'partial';

/** Each interpreter command, with a note where it is partial. */
export const INTERNAL_SUPPORT: ReadonlyMap<string, { support: Support; note?: string }> = new Map([
  ['echo', { support: 'supported' }],
  ['set', { support: 'supported' }],
  ['setlocal', { support: 'supported' }],
  ['endlocal', { support: 'supported' }],
  ['cd', { support: 'supported' }],
  ['pushd', { support: 'partial', note: 'no UNC paths (no temporary drive letters)' }],
  ['popd', { support: 'supported' }],
  ['goto', { support: 'supported' }],
  ['call', { support: 'supported' }],
  ['exit', { support: 'supported' }],
  ['shift', { support: 'supported' }],
  ['pause', { support: 'supported' }],
  ['title', { support: 'supported' }],
  ['cls', { support: 'supported' }],
  ['ver', { support: 'supported' }],
  ['vol', { support: 'supported' }],
  ['path', { support: 'supported' }],
  ['prompt', { support: 'supported' }],
  ['color', { support: 'supported' }],
  ['verify', { support: 'supported' }],
  ['break', { support: 'supported' }],
  ['start', { support: 'partial', note: 'no new console; internal commands start under cmd /c' }],
  ['date', { support: 'partial', note: '/T; setting the date is not possible' }],
  ['time', { support: 'partial', note: '/T; setting the time is not possible' }],
]);

const own: [string, InternalCommand][] = [
  ['echo', echo],
  ['set', set],
  ['setlocal', setlocal],
  ['endlocal', endlocal],
  ['cd', cd],
  ['chdir', cd],
  ['pushd', pushd],
  ['popd', popd],
  ['goto', goto],
  ['call', call],
  ['exit', exit],
  ['shift', shift],
  ['pause', pause],
  ['title', title],
  ['cls', cls],
  ['ver', ver],
  ['vol', vol],
  ['path', path],
  ['prompt', prompt],
  ['color', color],
  ['verify', verify],
  ['break', breakCmd],
  ['start', start],
  ['date', date],
  ['time', time],
];

/** Every internal command: the file commands first, the interpreter's own on top. */
export function internalCommands(): ReadonlyMap<string, InternalCommand> {
  const m = new Map<string, InternalCommand>();
  for (const [k, v] of fileBuiltins) m.set(k.toLowerCase(), v);
  for (const [k, v] of own) m.set(k, v);
  return m;
}
