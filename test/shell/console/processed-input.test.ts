// The console's processed input and its queue of keystrokes: Ctrl+C is a
// control event (ENABLE_PROCESSED_INPUT), it ends a waiting cooked read;
// keys typed ahead wait for the next read, in order; end of input; the title.
import { afterEach, describe, expect, test } from 'vitest';
import { Console } from '../../../src/kernel/process/console.js';
import { Session } from './support.js';

const STATUS_CONTROL_C_EXIT = 'c000013a';

let session: Session | undefined;
afterEach(async () => {
  await session?.close();
  session = undefined;
});

function open(options: ConstructorParameters<typeof Session>[0] = {}): Session {
  session = new Session(options);
  return session;
}

describe('Ctrl+C', () => {
  test('at the prompt: the read ends (INTERRUPTED) with the cursor at the end of the line; the shell, which handles the event, goes on', async () => {
    const s = open();
    await s.typeAndSettle('abc\x1b[D\x1b[D');
    s.type('\x03');
    expect(await s.line(0)).toBe('INTERRUPTED');
    await s.until(() => s.screen.lines.length === 2);
    expect(s.screen.lines).toEqual(['C:\\>abc^C', 'C:\\>']);
    expect(s.ctrlEvents).toBe(1);
    s.type('ver\r');
    expect(await s.line(1)).toBe('ver');
  });

  test('is never input: the byte is not in the line or the input buffer', async () => {
    const s = open();
    await s.ready();
    s.type('a\x03b\r');
    expect(await s.line(1)).toBe('b');
    expect(s.lines).toEqual(['INTERRUPTED', 'b']);
  });

  test('during a running command: the command gets CTRL_C_EVENT and ends with STATUS_CONTROL_C_EXIT; the shell prompts once', async () => {
    const s = open();
    await s.ready();
    s.type('run waiter\r');
    await s.until(() => s.screen.text.includes('waiting'), 'the command to start');
    s.type('\x03');
    await s.until(() => s.screen.text.includes('exit='), 'the command to end');
    expect(s.screen.lines).toEqual(['C:\\>run waiter', 'waiting', `exit=${STATUS_CONTROL_C_EXIT}`, 'C:\\>']);
    expect(s.ctrlEvents).toBe(1);
    expect(s.lines).toEqual(['run waiter']);
  });

  test('a line completed before the Ctrl+C in the same write is still read; the Ctrl+C goes to what runs then', async () => {
    const s = open();
    await s.ready();
    s.type('dir\r\x03');
    expect(await s.line(0)).toBe('dir');
    await s.until(() => s.screen.lines.length === 3);
    expect(s.lines).toEqual(['dir']);
    expect(s.ctrlEvents).toBe(1);
  });

  test("a child's own cooked read (set /p) is the one Ctrl+C ends; the shell's next read is untouched", async () => {
    const s = open();
    await s.ready();
    s.type('run asker\r');
    await s.until(() => s.screen.text.includes('Name?'), 'the question');
    s.type('Jo\x03');
    await s.until(() => s.screen.text.includes('exit='), 'the command to end');
    // The child had no handler: the event ended it, its read's answer never printed (and this
    // test shell, unlike cmd, prints no ^C of its own).
    expect(s.screen.lines).toEqual(['C:\\>run asker', `Name? Joexit=${STATUS_CONTROL_C_EXIT}`, 'C:\\>']);
    s.type('ver\r');
    expect(await s.line(1)).toBe('ver');
  });

  test('with processed input off, 0x03 is an ordinary byte and no event is sent', async () => {
    const s = open();
    s.console.processedInput = false;
    s.type('a\x03b\r');
    expect(await s.line(0)).toBe('ab');
    expect(s.ctrlEvents).toBe(0);
  });
});

describe('plain reads of a console handle', () => {
  test('ReadFile (readLine) on a console handle is a cooked read: edited, echoed, the line without CR LF', async () => {
    const s = open();
    await s.ready();
    s.type('run plain\r');
    await s.until(() => s.screen.text.includes('Value?'), 'the question');
    s.type('4x\x7f2\r');
    await s.until(() => s.screen.text.includes('exit='), 'the program to end');
    expect(s.screen.lines).toEqual(['C:\\>run plain', 'Value? 42', 'read "42"', 'exit=0', 'C:\\>']);
  });

  test('with line input off, readLine takes the bytes as typed (no echo)', async () => {
    const s = open();
    await s.ready();
    // (The shell's own reads are ReadConsole calls in line mode: they still edit.)
    s.console.lineInput = false;
    s.type('run plain\r');
    await s.until(() => s.screen.text.includes('Value?'), 'the question');
    s.type('4x\r\n');
    // The prompt follows the program's last line on a later turn of the event loop.
    await s.until(() => s.screen.lines.length === 4, 'the next prompt');
    expect(s.screen.lines).toEqual(['C:\\>run plain', 'Value? read "4x"', 'exit=0', 'C:\\>']);
  });
});

describe('the keystroke queue', () => {
  test('keys typed while a command runs wait for the next read and are echoed then', async () => {
    const s = open();
    await s.ready();
    s.type('run asker\r');
    await s.until(() => s.screen.text.includes('Name?'), 'the question');
    s.type('Ann\rver\rnext\r');
    expect(await s.line(2)).toBe('next');
    expect(s.lines).toEqual(['run asker', 'ver', 'next']);
    await s.until(() => s.screen.lines.length === 9);
    expect(s.screen.lines).toEqual(['C:\\>run asker', 'Name? Ann', 'got "Ann"', 'exit=7', 'C:\\>ver', '[ver]', 'C:\\>next', '[next]', 'C:\\>']);
  });

  test('type-ahead typed before the shell starts reading is read first, in order', async () => {
    const s = open({ typeAhead: 'first\rsec' });
    s.type('ond\r');
    expect(await s.line(1)).toBe('second');
    expect(s.lines).toEqual(['first', 'second']);
  });

  test('a paste of several lines gives one line per read', async () => {
    const s = open();
    s.type('one\r\ntwo\r\nthree\r\n');
    expect(await s.line(2)).toBe('three');
    expect(s.lines).toEqual(['one', 'two', 'three']);
  });

  test('end of input ends the read with null; a partial line is dropped', async () => {
    const s = open();
    s.type('partial');
    s.console.input.close();
    expect(await s.line(0)).toBeNull();
    expect(await s.process.wait()).toBe(0);
    session = undefined;
  });
});

describe('the title', () => {
  test('SetConsoleTitle reaches the terminal as OSC 0 (what ConPTY sends); the first title is not sent', async () => {
    const con = new Console({ title: 'C:\\Windows\\system32\\cmd.exe' });
    con.title = 'Administrator: build';
    con.title = 'evil\x07\x1b]0;x';
    const out = new TextDecoder().decode((await con.output.read())!);
    expect(out).toBe('\x1b]0;Administrator: build\x07\x1b]0;evil]0;x\x07');
  });

  test('a terminal shows the title a program sets', async () => {
    const s = open();
    s.console.title = 'my title';
    await s.until(() => s.screen.title === 'my title', 'the title');
  });
});
