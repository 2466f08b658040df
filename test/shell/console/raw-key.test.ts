// Single-key reads at a console (ReadConsoleInput with ENABLE_LINE_INPUT and
// ENABLE_ECHO_INPUT off — Microsoft Learn, "SetConsoleMode"): PAUSE,
// choice.exe and timeout.exe take one key, no Enter needed.
import { describe, expect, it } from 'vitest';
import type { PipeReader, PipeWriter } from '../../../src/kernel/process/pipe.js';
import { takeKey } from '../../../src/shell/console/read-key.js';
import { SERVERCORE, shellHost } from '../support.js';

async function until(out: PipeReader, seen: { text: string }, pattern: string): Promise<string> {
  while (!seen.text.includes(pattern)) {
    const c = await out.read();
    if (c === null) break;
    seen.text += Buffer.from(c).toString('utf8');
  }
  return seen.text;
}

async function session() {
  const host = await shellHost();
  if (!host.image(SERVERCORE)) await host.pull(SERVERCORE);
  const c = await host.createContainer({ image: SERVERCORE, cmd: ['cmd'], tty: true, openStdin: true, consoleSize: [25, 80] });
  const io = await c.start();
  const seen = { text: '' };
  return {
    io,
    seen,
    type: (s: string) => (io.stdin as PipeWriter).write(s),
    until: (p: string) => until(io.stdout!, seen, p),
    /** The program begins its read in the microtasks after its prompt is written: let them run. */
    settle: () => new Promise((r) => setImmediate(r)),
    end: async () => {
      await c.remove({ force: true });
    },
  };
}

describe('one key, no Enter, at an interactive console', () => {
  it('PAUSE returns after one key, discards it and cmd prompts again', async () => {
    const s = await session();
    try {
      await s.until('C:\\>');
      await s.type('pause\r');
      await s.until('Press any key to continue . . . ');
      await s.settle();
      await s.type('x');
      const text = await s.until('Press any key to continue . . . \r\n\r\nC:\\>');
      // The key is not echoed, and it is not left over for cmd's next line.
      expect(text.endsWith('Press any key to continue . . . \r\n\r\nC:\\>')).toBe(true);
      await s.type('echo still-here\r');
      expect(await s.until('still-here\r\nstill-here\r\n')).toContain('C:\\>echo still-here\r\nstill-here\r\n');
      await s.type('exit\r');
      expect(await s.io.wait()).toBe(0);
    } finally {
      await s.end();
    }
  });

  it('choice /c yn with n typed echoes N and sets errorlevel 2', async () => {
    const s = await session();
    try {
      await s.until('C:\\>');
      await s.type('choice /c yn\r');
      await s.until('[Y,N]?');
      await s.settle();
      await s.type('n');
      await s.until('[Y,N]?N\r\n');
      await s.until('C:\\>');
      await s.type('echo el=%errorlevel%\r');
      expect(await s.until('el=2\r\n')).toContain('el=2\r\n');
      await s.type('exit\r');
      await s.io.wait();
    } finally {
      await s.end();
    }
  });

  it('choice rings the bell for a key not in the list and waits on', async () => {
    const s = await session();
    try {
      await s.until('C:\\>');
      await s.type('choice /c yn\r');
      await s.until('[Y,N]?');
      await s.settle();
      await s.type('q');
      await s.until('\x07');
      await s.type('y');
      await s.until('[Y,N]?\x07Y\r\n');
      await s.type('echo el=%errorlevel%\r');
      expect(await s.until('el=1\r\n')).toContain('el=1\r\n');
      await s.type('exit\r');
      await s.io.wait();
    } finally {
      await s.end();
    }
  });

  it('timeout /t 5 ends at a key: the countdown line, then a line end', async () => {
    const s = await session();
    try {
      await s.until('C:\\>');
      await s.type('timeout /t 5\r');
      await s.until('Waiting for 5 seconds, press a key to continue ...');
      await s.settle();
      await s.type('k');
      const text = await s.until('press a key to continue ...\r\n\r\nC:\\>');
      expect(text).toContain('\r\nWaiting for 5 seconds, press a key to continue ...\r\n\r\nC:\\>');
      await s.type('exit\r');
      await s.io.wait();
    } finally {
      await s.end();
    }
  });
  it('PAUSE takes an arrow key whole: none of its escape sequence reaches the next prompt', async () => {
    const s = await session();
    try {
      await s.until('C:\\>');
      await s.type('pause\r');
      await s.until('Press any key to continue . . . ');
      await s.settle();
      await s.type('\x1b[A');
      await s.until('Press any key to continue . . . \r\n\r\nC:\\>');
      await s.settle();
      await s.type('echo clean\r');
      const text = await s.until('clean\r\nclean\r\n');
      expect(text).toContain('\r\n\r\nC:\\>echo clean\r\nclean\r\n');
      await s.type('exit\r');
      await s.io.wait();
    } finally {
      await s.end();
    }
  });

  it('keys typed ahead of PAUSE: it takes the first, cmd gets the rest', async () => {
    const s = await session();
    try {
      await s.until('C:\\>');
      await s.type('pause\rzecho ahead\r');
      const text = await s.until('ahead\r\nahead\r\n');
      expect(text).toContain('Press any key to continue . . . \r\n\r\nC:\\>echo ahead\r\nahead\r\n');
      await s.type('exit\r');
      await s.io.wait();
    } finally {
      await s.end();
    }
  });
  it('a timeout that runs out withdraws its key read: what is typed next reaches cmd whole', async () => {
    const s = await session();
    try {
      await s.until('C:\\>');
      await s.type('timeout /t 1\r');
      await s.until('0 seconds, press a key to continue ...\r\n\r\nC:\\>');
      await s.settle();
      await s.type('echo whole\r');
      expect(await s.until('whole\r\nwhole\r\n')).toContain('C:\\>echo whole\r\nwhole\r\n');
      await s.type('exit\r');
      await s.io.wait();
    } finally {
      await s.end();
    }
  });
});

describe('one key is taken whole from what the terminal sent', () => {
  const b = (s: string) => new TextEncoder().encode(s);
  it('a character key, Enter with the LF of CR LF, Backspace', () => {
    expect(takeKey(b('nx'))).toEqual({ key: 'n', used: 1 });
    expect(takeKey(b('\r\nx'))).toEqual({ key: '\r', used: 2 });
    expect(takeKey(b('\x7f'))).toEqual({ key: '\b', used: 1 });
  });
  it('an escape sequence is one key without a character; a split one waits for the rest', () => {
    expect(takeKey(b('\x1b[1;5Ax'))).toEqual({ key: '', used: 6 });
    expect(takeKey(b('\x1bOA'))).toEqual({ key: '', used: 3 });
    expect(takeKey(b('\x1b[1;'))).toBeUndefined();
    expect(takeKey(b('\x1b'))).toEqual({ key: '\x1b', used: 1 });
  });
  it('a UTF-8 character is one key; split, it waits for its last bytes', () => {
    expect(takeKey(b('é!'))).toEqual({ key: 'é', used: 2 });
    expect(takeKey(b('€').subarray(0, 2))).toBeUndefined();
  });
});
