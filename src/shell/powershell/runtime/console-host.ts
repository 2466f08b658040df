/**
 * The console as PowerShell 5.1 scripts reach it: `[Console]::ReadKey()`,
 * `[Console]::KeyAvailable`, the window size and colours, and
 * `$Host.UI.RawUI` (ReadKey, WindowTitle, colours, sizes). Every key read
 * goes through the console's one-key read (src/shell/console/read-key.ts:
 * a read with ENABLE_LINE_INPUT and ENABLE_ECHO_INPUT off, as
 * SetConsoleMode makes it), every colour through the console's attributes
 * (SetConsoleTextAttribute).
 *
 * Errors as .NET Framework throws them (PowerShell wraps them as
 * `Exception calling "ReadKey" with "N" argument(s): "…"`):
 * Console.ReadKey with redirected input "Cannot read keys when either
 * application does not have a console or when console input has been
 * redirected from a file. Try Console.Read."; the host's RawUI.ReadKey
 * without a console "The handle is invalid." (the Win32 error of its
 * ReadConsoleInput on a pipe handle — the message scripts in CI show).
 *
 * DECIDED: keys without a character (arrows, Home, F-keys) come back as
 * Key 0 / VirtualKeyCode 0 with an empty KeyChar: the one-key read does not
 * name them.
 */
import type { ProcessContext } from '../../../kernel/process/context.js';
import { readConsoleKey } from '../../console/read-key.js';
import { errorRecord, PSError } from './errors.js';
import { PSObject } from './values.js';

/** ConsoleColor's names in Windows' colour-index order (the attribute's nibbles). */
export const CONSOLE_COLORS = ['Black', 'DarkBlue', 'DarkGreen', 'DarkCyan', 'DarkRed', 'DarkMagenta', 'DarkYellow', 'Gray', 'DarkGray', 'Blue', 'Green', 'Cyan', 'Red', 'Magenta', 'Yellow', 'White'] as const;

function colorIndex(value: unknown): number {
  const name = String(value);
  const i = CONSOLE_COLORS.findIndex((c) => c.toLowerCase() === name.toLowerCase());
  if (i >= 0) return i;
  const n = Number(value);
  if (Number.isInteger(n) && n >= 0 && n < 16) return n;
  throw new PSError(
    errorRecord({
      message: `Cannot convert value "${name}" to type "System.ConsoleColor". Error: "Unable to match the identifier name ${name} to a valid enumerator name. Specify one of the following enumerator names and try again:\r\n${CONSOLE_COLORS.join(', ')}"`,
      reason: 'PSInvalidCastException',
      id: 'RuntimeException',
      category: 'InvalidArgument',
    }),
  );
}

/** The ConsoleKey name and virtual-key code of a key's character. */
function keyOf(ch: string): { key: string; vk: number; shift: boolean } {
  if (ch === '\r') return { key: 'Enter', vk: 13, shift: false };
  if (ch === ' ') return { key: 'Spacebar', vk: 32, shift: false };
  if (ch === '\t') return { key: 'Tab', vk: 9, shift: false };
  if (ch === '\b') return { key: 'Backspace', vk: 8, shift: false };
  if (ch === '\x1b') return { key: 'Escape', vk: 27, shift: false };
  if (/^[a-z]$/.test(ch)) return { key: ch.toUpperCase(), vk: ch.toUpperCase().charCodeAt(0), shift: false };
  if (/^[A-Z]$/.test(ch)) return { key: ch, vk: ch.charCodeAt(0), shift: true };
  if (/^[0-9]$/.test(ch)) return { key: `D${ch}`, vk: ch.charCodeAt(0), shift: false };
  return { key: '0', vk: 0, shift: false };
}

function exceptionCalling(method: string, args: number, message: string, id: string): PSError {
  return new PSError(errorRecord({ message: `Exception calling "${method}" with "${args}" argument(s): "${message}"`, reason: 'MethodInvocationException', id }));
}

async function readKey(ctx: ProcessContext, echo: boolean): Promise<string> {
  const k = await readConsoleKey(ctx);
  const ch = typeof k === 'string' ? k : '';
  if (echo && ch !== '' && ch !== '\x1b') await ctx.stdout.write(ch === '\r' ? '\r' : ch);
  return ch;
}

function atConsole(ctx: ProcessContext): boolean {
  return ctx.stdin.isConsole && ctx.console !== undefined && ctx.process?.console !== undefined;
}

/**
 * `[Console]::Name` / `[Console]::Name(args)`: the members that need the
 * console; undefined for the rest (the static-member table answers them).
 */
export function consoleStatic(ctx: ProcessContext, name: string, args: unknown[] | undefined): Promise<unknown> | undefined {
  const n = name.toLowerCase();
  const con = ctx.console;
  switch (n) {
    case 'readkey': {
      if (args === undefined) return undefined;
      if (!atConsole(ctx)) {
        return Promise.reject(
          exceptionCalling('ReadKey', args.length, 'Cannot read keys when either application does not have a console or when console input has been redirected from a file. Try Console.Read.', 'InvalidOperationException'),
        );
      }
      const intercept = args[0] === true;
      return readKey(ctx, !intercept).then((ch) => {
        const k = keyOf(ch);
        return new PSObject(['System.ConsoleKeyInfo', 'System.ValueType', 'System.Object'])
          .add('KeyChar', ch)
          .add('Key', k.key)
          .add('Modifiers', k.shift ? 'Shift' : '0');
      });
    }
    case 'keyavailable':
      if (args !== undefined) return undefined;
      return Promise.resolve(atConsole(ctx) && (ctx.process.console?.inputPipe.available ?? 0) > 0);
    case 'windowwidth':
    case 'bufferwidth':
    case 'largestwindowwidth':
      return args === undefined ? Promise.resolve(con?.columns ?? 0) : undefined;
    case 'windowheight':
    case 'largestwindowheight':
      return args === undefined ? Promise.resolve(con?.rows ?? 0) : undefined;
    case 'bufferheight':
      return args === undefined ? Promise.resolve(con ? 9001 : 0) : undefined;
    case 'title':
      return args === undefined ? Promise.resolve(con?.title ?? '') : undefined;
    case 'foregroundcolor':
      return args === undefined ? Promise.resolve(CONSOLE_COLORS[(con?.attributes ?? 0x07) & 0x0f]) : undefined;
    case 'backgroundcolor':
      return args === undefined ? Promise.resolve(CONSOLE_COLORS[((con?.attributes ?? 0x07) >> 4) & 0x0f]) : undefined;
    case 'resetcolor':
      if (args === undefined) return undefined;
      if (con && ctx.stdout.isConsole) con.setTextAttribute(con.defaultAttributes);
      return Promise.resolve(null);
  }
  return undefined;
}

/** `[Console]::Name = value` for the settable members that change the console; false for the rest. */
export function setConsoleStatic(ctx: ProcessContext, name: string, value: unknown): boolean {
  const con = ctx.console;
  const n = name.toLowerCase();
  if (n === 'title') {
    if (con) con.title = String(value);
    return true;
  }
  if (n === 'foregroundcolor' || n === 'backgroundcolor') {
    const i = colorIndex(value);
    if (con && ctx.stdout.isConsole) con.setTextAttribute(n === 'foregroundcolor' ? (con.attributes & 0xf0) | i : (con.attributes & 0x0f) | (i << 4));
    return true;
  }
  return false;
}

/** `$Host.UI.RawUI`: the console host's raw user interface. */
export function rawUI(ctx: ProcessContext): PSObject {
  const con = ctx.console;
  const size = (w: number, h: number) => new PSObject(['System.Management.Automation.Host.Size', 'System.ValueType', 'System.Object'], () => `${w},${h}`).add('Width', w).add('Height', h);
  const ui = new PSObject(['System.Management.Automation.Internal.Host.InternalHostRawUserInterface', 'System.Management.Automation.Host.PSHostRawUserInterface', 'System.Object']);
  ui.accessor(
    'ForegroundColor',
    () => CONSOLE_COLORS[(con?.attributes ?? 0x07) & 0x0f],
    (v) => void setConsoleStatic(ctx, 'ForegroundColor', v),
  );
  ui.accessor(
    'BackgroundColor',
    () => CONSOLE_COLORS[((con?.attributes ?? 0x07) >> 4) & 0x0f],
    (v) => void setConsoleStatic(ctx, 'BackgroundColor', v),
  );
  ui.addGetter('BufferSize', () => size(con?.columns ?? 120, con ? 9001 : 0));
  ui.addGetter('WindowSize', () => size(con?.columns ?? 120, con?.rows ?? 50));
  ui.addGetter('MaxWindowSize', () => size(con?.columns ?? 120, con?.rows ?? 50));
  ui.addGetter('KeyAvailable', () => atConsole(ctx) && (ctx.process.console?.inputPipe.available ?? 0) > 0);
  ui.accessor(
    'WindowTitle',
    () => con?.title ?? '',
    (v) => void setConsoleStatic(ctx, 'Title', v),
  );
  ui.method('ReadKey', async (args) => {
    if (!atConsole(ctx)) throw exceptionCalling('ReadKey', args.length, 'The handle is invalid.', 'Win32Exception');
    // ReadKeyOptions: IncludeKeyDown, IncludeKeyUp, NoEcho, AllowCtrlC; the default IncludeKeyDown.
    const options = String(args[0] ?? 'IncludeKeyDown').toLowerCase();
    const ch = await readKey(ctx, !options.includes('noecho'));
    const k = keyOf(ch);
    return new PSObject(['System.Management.Automation.Host.KeyInfo', 'System.ValueType', 'System.Object'])
      .add('VirtualKeyCode', k.vk)
      .add('Character', ch)
      .add('ControlKeyState', k.shift ? 'ShiftPressed' : '0')
      .add('KeyDown', true);
  });
  ui.method('FlushInputBuffer', () => null);
  return ui;
}
