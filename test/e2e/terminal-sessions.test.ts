// Interactive sessions on a real terminal, as a user gets them from
// `npm start` / `winsilo start`, `winsilo run -it --rm IMAGE cmd` and
// `… powershell`: the banner and prompt, line editing, history, Tab
// completion, the title, Ctrl+C at the prompt and in a running command,
// resizing, `exit` with its code.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { MAIN, SERVERCORE, tempDataRoot, TerminalSession } from './support.js';

const UP = '\x1b[A';
const DOWN = '\x1b[B';
const RIGHT = '\x1b[C';
const LEFT = '\x1b[D';
const HOME = '\x1b[H';
const END = '\x1b[F';
const DEL = '\x1b[3~';
const INS = '\x1b[2~';
const BS = '\x7f';
const CTRL_C = '\x03';

const root = tempDataRoot();
const sessions: TerminalSession[] = [];

beforeAll(() => {
  // The image, pulled once into this file's data root (later runs find it there).
  const r = spawnSync(process.execPath, [MAIN, 'run', '--rm', '-q', SERVERCORE, 'cmd', '/c', 'ver'], { encoding: 'utf8', env: { ...process.env, WINSILO_DATA_ROOT: root.path } });
  expect(r.status).toBe(0);
});
afterEach(() => {
  for (const s of sessions.splice(0)) s.kill();
});
afterAll(() => root.remove());

function cmd(options: { columns?: number; rows?: number } = {}): TerminalSession {
  const s = new TerminalSession(['run', '-it', '--rm', SERVERCORE, 'cmd'], { ...options, dataRoot: root.path });
  sessions.push(s);
  return s;
}

describe('winsilo start (npm start)', () => {
  test('opens cmd.exe in a fresh Server Core container: the banner, a blank line, the C:\\> prompt; `exit 5` ends it with 5', async () => {
    const s = new TerminalSession(['start'], { dataRoot: root.path });
    sessions.push(s);
    await s.prompt('C:\\>', 20_000);
    expect(s.lines[0]).toMatch(/^Microsoft Windows \[Version 10\.0\.20348\.\d+\]$/);
    expect(s.lines.slice(1)).toEqual(['(c) Microsoft Corporation. All rights reserved.', '', 'C:\\>']);
    s.type('exit 5\r');
    expect(await s.exited).toBe(5);
  });

  test('with a stdin that is not a terminal it says so (docker\'s text) and exits 1 without starting anything', () => {
    const r = spawnSync(process.execPath, [MAIN, 'start'], { encoding: 'utf8', input: 'dir\r\n' });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('cannot attach stdin to a TTY-enabled container because stdin is not a terminal\n');
  });
});

describe('winsilo run -it --rm IMAGE cmd', () => {
  test('line editing: Home/End, arrows, Backspace/Delete, Insert (overwrite) — the screen and the command cmd runs agree', async () => {
    const s = cmd();
    await s.prompt();
    s.type('eho wrld');
    await s.until((t) => t.cursor.line === 'C:\\>eho wrld', 'the typed text');
    s.type(`${HOME}${RIGHT}c${END}${LEFT}${LEFT}${LEFT}o`);
    await s.until((t) => t.cursor.line === 'C:\\>echo world' && t.cursor.x === 11, 'the inserted characters');
    s.type(`${END}!!${BS}${HOME}X${HOME}${DEL}`);
    await s.until((t) => t.cursor.line === 'C:\\>echo world!' && t.cursor.x === 4, 'Backspace and Delete');
    s.type(`${RIGHT.repeat(5)}${INS}W`);
    await s.until((t) => t.cursor.line === 'C:\\>echo World!' && t.cursor.x === 10, 'the overwritten character');
    s.type('\r');
    await s.prompt();
    expect(s.lines.slice(-4)).toEqual(['C:\\>echo World!', 'World!', '', 'C:\\>']);
    s.type('exit\r');
    expect(await s.exited).toBe(0);
    // --rm: the container is gone from the data root once winsilo returns.
    expect(readdirSync(join(root.path, 'containers'))).toEqual([]);
  });

  test('history with Up and Down, Tab completion of paths, the title through OSC', async () => {
    const s = cmd();
    await s.prompt();
    s.type('echo one\r');
    await s.until((t) => t.lines.includes('one'), 'the first command');
    await s.prompt();
    s.type('echo two\r');
    await s.until((t) => t.lines.includes('two'), 'the second command');
    await s.prompt();
    s.type(UP);
    await s.until((t) => t.cursor.line === 'C:\\>echo two', 'the last command recalled');
    s.type(UP);
    await s.until((t) => t.cursor.line === 'C:\\>echo one', 'the one before');
    s.type(DOWN);
    await s.until((t) => t.cursor.line === 'C:\\>echo two', 'Down');
    s.type(`${CTRL_C}`);
    await s.prompt();
    s.type('cd Win\t');
    await s.until((t) => t.cursor.line === 'C:\\>cd Windows', 'the completed folder name');
    s.type('\r');
    await s.prompt('C:\\Windows>');
    // TITLE sets the console title: the terminal gets it as OSC 0.
    s.type('title winsilo box\r');
    await s.until((t) => t.title === 'winsilo box', 'the window title');
    s.type('exit\r');
    expect(await s.exited).toBe(0);
  });

  test('Ctrl+C at the prompt prints ^C and a new prompt; during `set /p` and during `ping -t` it stops them, not cmd', async () => {
    const s = cmd();
    await s.prompt();
    s.type('echo not run');
    await s.until((t) => t.cursor.line === 'C:\\>echo not run', 'the typed line');
    s.type(CTRL_C);
    await s.prompt();
    expect(s.lines.slice(-2)).toEqual(['C:\\>echo not run^C', 'C:\\>']);

    s.type('set /p NAME=Name? ');
    s.type('\r');
    await s.until((t) => t.cursor.line === 'Name?', 'set /p waiting');
    s.type(`Jo${CTRL_C}`);
    await s.prompt();

    s.type('ping -t 127.0.0.1\r');
    await s.until((t) => t.text.includes('Reply from 127.0.0.1'), 'ping replies', 15_000);
    s.type(CTRL_C);
    await s.prompt('C:\\>', 15_000);
    // cmd is still there and answers.
    s.type('echo alive\r');
    await s.until((t) => t.lines.includes('alive'), 'cmd still running');
    s.type('exit 3\r');
    expect(await s.exited).toBe(3);
  });

  test('a resized terminal resizes the console: the line being typed wraps at the new width', async () => {
    const s = cmd({ columns: 100, rows: 30 });
    await s.prompt();
    s.resize(40, 20);
    // A key's round trip: the SIGWINCH that resize() raised was handled before the keys after it.
    s.type('x');
    await s.until((t) => t.cursor.line === 'C:\\>x', 'a key echoed');
    s.type(BS);
    await s.prompt();
    s.type('echo 0123456789012345678901234567890123456789XYZ');
    await s.until((t) => t.lines.slice(-2).join('|') === 'C:\\>echo 0123456789012345678901234567890|123456789XYZ', 'the wrapped line');
    s.type(`${HOME}${DEL.repeat(5)}`);
    await s.until((t) => t.lines.slice(-2).join('|') === 'C:\\>012345678901234567890123456789012345|6789XYZ', 'the redrawn wrapped line');
    s.type(`${CTRL_C}exit\r`);
    expect(await s.exited).toBe(0);
  });
});

describe('winsilo run -it --rm IMAGE powershell', () => {
  test('PowerShell on the terminal: its banner, the PS C:\\> prompt, edited input, history, `exit 4`', async () => {
    const s = new TerminalSession(['run', '-it', '--rm', SERVERCORE, 'powershell'], { dataRoot: root.path });
    sessions.push(s);
    await s.prompt('PS C:\\> ', 20_000);
    expect(s.lines.slice(0, 2)).toEqual(['Windows PowerShell', 'Copyright (C) Microsoft Corporation. All rights reserved.']);
    s.type(`Write-Output hlo${LEFT}${LEFT}e${END}, there`);
    await s.until((t) => t.cursor.line === 'PS C:\\> Write-Output helo, there', 'the edited line');
    s.type('\r');
    await s.until((t) => t.lines.includes('helo') && t.lines.includes('there'), 'the output');
    await s.prompt('PS C:\\> ');
    s.type(UP);
    await s.until((t) => t.cursor.line === 'PS C:\\> Write-Output helo, there', 'the recalled line');
    // Esc (a lone ESC byte) clears the line, as conhost does.
    s.type('\x1b');
    await s.until((t) => t.cursor.line === 'PS C:\\>' && t.cursor.x === 8, 'the cleared line');
    s.type('exit 4\r');
    expect(await s.exited).toBe(4);
  });
});
