// GetConsoleMode / SetConsoleMode on a console's input buffer and screen
// buffer (Microsoft Learn "SetConsoleMode"): the defaults, the validation
// conhost applies, and the reads that honour the mode — a cooked read
// without ENABLE_ECHO_INPUT edits but shows nothing; the one-key read is a
// read with line and echo input off and gives the caller's mode back;
// PowerShell's [Console]::ReadKey() and $Host.UI.RawUI go through both.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { Win32Error } from '../../../src/core/win32.js';
import { Console } from '../../../src/kernel/process/console.js';
import {
  DEFAULT_CONSOLE_INPUT_MODE,
  ENABLE_ECHO_INPUT,
  ENABLE_LINE_INPUT,
  ENABLE_PROCESSED_INPUT,
  ENABLE_VIRTUAL_TERMINAL_INPUT,
  ENABLE_VIRTUAL_TERMINAL_PROCESSING,
} from '../../../src/kernel/process/constants.js';
import { run } from '../support.js';
import { Session } from './support.js';
import { cellColours, tty, viewport } from './tty.js';

vi.setConfig({ testTimeout: 20_000 });

let session: Session | undefined;
afterEach(async () => {
  await session?.close();
  session = undefined;
});

function code(f: () => void): number | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    if (e instanceof Win32Error) return e.code;
    throw e;
  }
}

describe('SetConsoleMode validation', () => {
  test('a new console: input 0x1F7 (processed, line, echo, mouse, insert, quick edit, extended flags, auto position), output 0x3', () => {
    const c = new Console();
    expect(c.inputMode).toBe(0x1f7);
    expect(c.outputMode).toBe(0x3);
    expect(c.processedInput && c.lineInput && c.echoInput).toBe(true);
  });

  test('input: echo without line input fails with ERROR_INVALID_PARAMETER yet is applied, as conhost does; unknown bits likewise', () => {
    const c = new Console();
    expect(code(() => c.setInputMode(ENABLE_PROCESSED_INPUT | ENABLE_ECHO_INPUT))).toBe(87);
    expect(c.inputMode).toBe(ENABLE_PROCESSED_INPUT | ENABLE_ECHO_INPUT);
    expect(code(() => c.setInputMode(0x8000 | ENABLE_LINE_INPUT))).toBe(87);
    expect(c.inputMode).toBe(ENABLE_LINE_INPUT);
    expect(code(() => c.setInputMode(ENABLE_VIRTUAL_TERMINAL_INPUT | ENABLE_PROCESSED_INPUT))).toBeUndefined();
    expect(c.processedInput).toBe(true);
    expect(c.lineInput).toBe(false);
  });

  test('output: unknown bits fail with ERROR_INVALID_PARAMETER and change nothing; VT processing can be set', () => {
    const c = new Console();
    expect(code(() => c.setOutputMode(0x40))).toBe(87);
    expect(c.outputMode).toBe(0x3);
    c.setOutputMode(0x3 | ENABLE_VIRTUAL_TERMINAL_PROCESSING);
    expect(c.outputMode).toBe(0x7);
  });
});

describe('reads follow the mode', () => {
  test('a cooked read without ENABLE_ECHO_INPUT edits the line but shows none of it (a password prompt)', async () => {
    const s = (session = new Session());
    await s.ready();
    s.type('run plain\r');
    await s.until(() => s.screen.text.includes('Value?'), 'the question');
    s.console.setInputMode(DEFAULT_CONSOLE_INPUT_MODE & ~ENABLE_ECHO_INPUT);
    s.type('sec\x7fcret\r');
    await s.until(() => s.screen.lines.length === 4, 'the program to end and the next prompt');
    s.console.setInputMode(DEFAULT_CONSOLE_INPUT_MODE);
    expect(s.screen.lines).toEqual(['C:\\>run plain', 'Value? read "secret"', 'exit=0', 'C:\\>']);
  });

  test('PAUSE reads its key with line and echo input off and gives cmd its mode back', async () => {
    const t = await tty({ rows: 10, columns: 60 });
    try {
      await t.until(() => viewport(t.screen).includes('C:\\>'), 'the prompt');
      await t.type('pause\r');
      await t.until(() => viewport(t.screen).includes('Press any key to continue . . .'), 'the pause');
      await t.type('k');
      await t.type('echo back\r');
      await t.until(() => viewport(t.screen).includes('back') && viewport(t.screen).filter((r) => r !== '').at(-1) === 'C:\\>', 'the echo and the prompt');
      // The key was neither echoed nor left for cmd; cmd's next line was edited and echoed as usual.
      expect(viewport(t.screen).filter((r) => r !== '')).toEqual(['Microsoft Windows [Version 10.0.20348.5499]', '(c) Microsoft Corporation. All rights reserved.', 'C:\\>pause', 'Press any key to continue . . .', 'C:\\>echo back', 'back', 'C:\\>']);
    } finally {
      await t.remove();
    }
  });
});

describe('PowerShell on the console', () => {
  test('[Console]::ReadKey() takes one key and echoes it; ReadKey($true) does not; $Host.UI.RawUI.ReadKey("NoEcho,IncludeKeyDown") gives a KeyInfo', async () => {
    const t = await tty({ rows: 20, columns: 70, cmd: ['powershell'] });
    try {
      await t.until(() => viewport(t.screen).some((r) => r.startsWith('PS C:\\>')), 'the prompt');
      await t.type('$k = [Console]::ReadKey(); "[" + $k.KeyChar + "|" + $k.Key + "]"\r');
      await t.type('x');
      await t.until(() => viewport(t.screen).includes('x[x|X]'), 'the key and its info');
      await t.type('$k = [Console]::ReadKey($true); "<" + $k.Key + ">"\r');
      await t.type('Q');
      await t.until(() => viewport(t.screen).includes('<Q>'), 'the intercepted key');
      await t.type('$i = $Host.UI.RawUI.ReadKey("NoEcho,IncludeKeyDown"); "vk=" + $i.VirtualKeyCode + " down=" + $i.KeyDown\r');
      await t.type('\r');
      await t.until(() => viewport(t.screen).includes('vk=13 down=True'), 'the KeyInfo');
      await t.type('$Host.UI.RawUI.WindowSize.Width; $Host.UI.RawUI.ForegroundColor\r');
      await t.until(() => viewport(t.screen).includes('Gray'), 'the window and colour');
      expect(viewport(t.screen)).toContain('70');
      await t.type('$Host.UI.RawUI.BackgroundColor = "DarkBlue"; "blue"\r');
      await t.until(() => viewport(t.screen).includes('blue'), 'text in the new colour');
      const y = viewport(t.screen).indexOf('blue');
      expect(cellColours(t.screen, 0, y).bg).toBe(4);
      await t.type('exit\r');
      expect(await t.wait()).toBe(0);
    } finally {
      await t.remove();
    }
  });

  test('without a console: [Console]::ReadKey() and RawUI.ReadKey fail as .NET does', async () => {
    const r = await run(['powershell', '-Command', 'try { [Console]::ReadKey() } catch { $_.Exception.Message }; try { $Host.UI.RawUI.ReadKey() } catch { $_.Exception.Message }']);
    expect(r.stdout).toBe(
      'Exception calling "ReadKey" with "0" argument(s): "Cannot read keys when either application does not have a console or when console input has been redirected from a file. Try Console.Read."\r\n' +
        'Exception calling "ReadKey" with "0" argument(s): "The handle is invalid."\r\n',
    );
  });
});
