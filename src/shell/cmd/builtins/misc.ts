/**
 * The small internal commands (Microsoft Learn command reference; ss64):
 * PAUSE, TITLE, CLS, VER, VOL, PATH, PROMPT, COLOR, VERIFY, BREAK, START,
 * DATE /T, TIME /T.
 *
 * ERRORLEVEL on success (experiments on Windows 10, SO "Which cmd.exe
 * internal commands clear the ERRORLEVEL to 0 upon success?"): BREAK, CLS,
 * ECHO, ENDLOCAL, FOR, GOTO, IF, PAUSE, POPD, REM, SHIFT, START, TITLE leave
 * it; CD, COLOR, DATE, PUSHD, SETLOCAL, TIME, VER, VERIFY, VOL clear it;
 * PATH, PROMPT, SET clear it only in a .cmd file.
 */
import type { InternalCommand } from '../interpreter.js';
import { readConsoleKey } from '../../console/read-key.js';
import { MSG } from '../messages.js';
import { successLevel } from './set.js';

/** Resolves when `signal` is (or already was) aborted. */
export function whenAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((r) => signal.addEventListener('abort', () => r(), { once: true }));
}

export const pause: InternalCommand = async (bc) => {
  await bc.stdout.write(MSG.pause);
  // Any key: at a console one key, without Enter and not echoed (cmd turns line and echo
  // input off for it — SetConsoleMode; src/shell/console/read-key.ts); redirected, the next byte.
  // Ctrl+C may come while the prompt is still being written: look at the signal before waiting.
  if (bc.signal.aborted) {
    // Interrupted already: no key is taken.
  } else if (bc.stdin.isConsole && bc.ctx.stdin.isConsole) await readConsoleKey(bc.ctx, { signal: bc.signal });
  else await Promise.race([bc.stdin.read(1), whenAborted(bc.signal)]);
  await bc.stdout.write('\r\n');
  return undefined;
};

export const title: InternalCommand = async (bc, args) => {
  if (bc.ctx.console) bc.ctx.console.title = args.replace(/^[ \t]/, '');
  return undefined;
};

export const cls: InternalCommand = async (bc) => {
  // A console is cleared (VT: erase screen and scrollback, cursor home); a redirected CLS writes a form feed.
  await bc.stdout.write(bc.stdout.isConsole ? '\x1b[H\x1b[2J\x1b[3J' : '\f');
  if (bc.stdout.isConsole) bc.interp.screenCleared = true;
  return undefined;
};

export const ver: InternalCommand = async (bc) => {
  await bc.stdout.write(`\r\nMicrosoft Windows [Version ${bc.interp.options.version}]\r\n`);
  return 0;
};

export const vol: InternalCommand = async (bc, args) => {
  const a = args.trim();
  let drive = bc.ctx.cwd[0]!.toUpperCase();
  if (a !== '') {
    const m = /^([A-Za-z]):\\?$/.exec(a);
    if (!m) {
      await bc.stderr.write(MSG.filenameSyntax);
      return 1;
    }
    drive = m[1]!.toUpperCase();
  }
  const v = bc.ctx.fs?.volume(drive);
  if (!v) {
    await bc.stderr.write(MSG.invalidDrive);
    return 1;
  }
  const serial = (v.serialNumber >>> 0).toString(16).toUpperCase().padStart(8, '0');
  await bc.stdout.write(
    `${v.label === '' ? ` Volume in drive ${drive} has no label.` : ` Volume in drive ${drive} is ${v.label}`}\r\n Volume Serial Number is ${serial.slice(0, 4)}-${serial.slice(4)}\r\n`,
  );
  return 0;
};

export const path: InternalCommand = async (bc, args) => {
  const a = args.replace(/^[ \t=]+/, '');
  if (a === '') {
    const p = bc.ctx.env.get('PATH');
    await bc.stdout.write(p === undefined ? MSG.noPath : `PATH=${p}\r\n`);
    return undefined;
  }
  bc.interp.setVar('PATH', a.trim() === ';' ? undefined : a.replace(/[ \t]+$/, ''));
  return successLevel(bc);
};

export const prompt: InternalCommand = async (bc, args) => {
  const a = args.replace(/^[ \t=]/, '');
  bc.interp.setVar('PROMPT', a === '' ? undefined : a);
  return successLevel(bc);
};

/**
 * COLOR [attr] (COLOR /?, Microsoft Learn "color"): two hex digits,
 * background then foreground; one digit is the foreground on black. The
 * whole window takes the colours (FillConsoleOutputAttribute, then
 * SetConsoleTextAttribute, as cmd and ReactOS's color.c do), so the console
 * repaints; no argument restores the colours cmd started with. The same
 * foreground and background: ERRORLEVEL 1 and nothing changes. Without a
 * console (output redirected or piped) only ERRORLEVEL is set.
 * DECIDED: an argument that is not one or two hex digits prints COLOR's
 * help text and sets ERRORLEVEL 1 (what Windows' cmd shows, as remembered;
 * ReactOS prints an error line instead, Wine "Argument error").
 */
export const color: InternalCommand = async (bc, args) => {
  const a = args.trim();
  if (a.startsWith('/?')) {
    await bc.stdout.write(MSG.colorHelp);
    return 0;
  }
  let attr: number;
  if (a === '') attr = bc.interp.defaultColor;
  else if (/^[0-9a-fA-F]{1,2}$/.test(a)) attr = Number.parseInt(a, 16);
  else {
    await bc.stdout.write(MSG.colorHelp);
    return 1;
  }
  if ((attr & 0x0f) === attr >> 4) return 1;
  const con = bc.ctx.console;
  if (con && bc.stdout.isConsole) con.fillAttributes(attr);
  return 0;
};

export const verify: InternalCommand = async (bc, args) => {
  const a = args.trim().toLowerCase();
  if (a === '') {
    await bc.stdout.write(MSG.verifyIs(bc.interp.verify));
    return 0;
  }
  if (a === 'on' || a === 'off') {
    bc.interp.verify = a === 'on';
    return 0;
  }
  await bc.stderr.write('Must specify ON or OFF.\r\n');
  return 1;
};

export const breakCmd: InternalCommand = async () => undefined;

export const date: InternalCommand = async (bc, args) => {
  if (/^[ \t]*\/t/i.test(args)) {
    await bc.stdout.write(bc.interp.dateString() + '\r\n');
    return 0;
  }
  await bc.stdout.write(`The current date is: ${bc.interp.dateString()}\r\nEnter the new date: (mm-dd-yy) `);
  await bc.stdin.readLine();
  return undefined;
};

export const time: InternalCommand = async (bc, args) => {
  const d = new Date(bc.ctx.now());
  const h = d.getUTCHours();
  if (/^[ \t]*\/t/i.test(args)) {
    await bc.stdout.write(`${String(h % 12 === 0 ? 12 : h % 12).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')} ${h < 12 ? 'AM' : 'PM'}\r\n`);
    return 0;
  }
  await bc.stdout.write(`The current time is: ${bc.interp.timeString()}\r\nEnter the new time: `);
  await bc.stdin.readLine();
  return undefined;
};

/**
 * START ["title"] [/B] [/WAIT] [/D path] command: a new process, not waited
 * for unless /WAIT. DECIDED: every program shares cmd's console here (no
 * new console window exists in a container); /MIN, /MAX, priorities are
 * accepted and ignored.
 */
export const start: InternalCommand = async (bc, args) => {
  let text = args.trim();
  if (text.startsWith('"')) {
    const end = text.indexOf('"', 1);
    text = end < 0 ? '' : text.slice(end + 1).trim();
  }
  let wait = false;
  let dir: string | undefined;
  for (;;) {
    const m = /^\/(\w+)(?::\S*)?[ \t]*/.exec(text);
    if (!m) break;
    const sw = m[1]!.toLowerCase();
    text = text.slice(m[0].length);
    if (sw === 'wait') wait = true;
    else if (sw === 'd') {
      const d = /^("[^"]*"|\S+)[ \t]*/.exec(text);
      if (d) {
        dir = d[1]!.replace(/"/g, '');
        text = text.slice(d[0].length);
      }
    }
  }
  if (text === '') text = bc.ctx.env.get('ComSpec') ?? 'cmd.exe';
  const comspec = bc.ctx.env.get('ComSpec') ?? 'C:\\Windows\\system32\\cmd.exe';
  // Internal commands and batch files start in a new cmd.exe /K in Windows; DECIDED: /C here (no window stays open).
  const child = bc.ctx.spawn(`${comspec} /c ${text}`, { applicationName: comspec, cwd: dir, stdin: 'null' });
  if (wait) {
    const code = await child.wait();
    child.close();
    return code;
  }
  child.close();
  return undefined;
};
