// cmd's file-name completion (Tab / Shift+Tab): the path token under the cursor, cycling through
// matches in directory order, names with spaces quoted.
import { describe, expect, it } from 'vitest';
import type { FileInfo } from '../../../src/kernel/fs/types.js';
import type { ProcessContext } from '../../../src/kernel/process/context.js';
import { completer } from '../../../src/shell/cmd/complete.js';

function fakeContext(dirs: Record<string, string[]>): ProcessContext {
  const info = (name: string) => ({ name, attributes: name.includes('.') ? 0x20 : 0x10 }) as FileInfo;
  return {
    cwd: 'C:\\',
    fs: {
      list: (path: string) => {
        const key = path === '.' ? 'C:\\' : path;
        const names = dirs[key];
        if (!names) throw new Error('missing');
        return names.map(info);
      },
    },
  } as unknown as ProcessContext;
}

const ctx = fakeContext({ 'C:\\': ['Program Files', 'ProgramData', 'Users', 'Windows', 'Windows.log'], 'C:\\Windows\\': ['System32', 'SysWOW64', 'Temp'] });

describe('completion', () => {
  it('completes the token under the cursor with the first match', () => {
    const c = completer(ctx);
    expect(c('cd Us', 5, false)).toEqual({ line: 'cd Users', cursor: 8 });
  });

  it('quotes a name with spaces', () => {
    const c = completer(ctx);
    expect(c('cd Pro', 6, false)).toEqual({ line: 'cd "Program Files"', cursor: 18 });
  });

  it('Tab again cycles to the next match, Shift+Tab back', () => {
    const c = completer(ctx);
    const first = c('dir Pro', 7, false)!;
    const second = c(first.line, first.cursor, false)!;
    expect(second).toEqual({ line: 'dir ProgramData', cursor: 15 });
    expect(c(second.line, second.cursor, true)).toEqual({ line: 'dir "Program Files"', cursor: 19 });
  });

  it('completes inside a directory, keeping what was typed before the name', () => {
    const c = completer(ctx);
    expect(c('cd C:\\Windows\\Sys', 17, false)).toEqual({ line: 'cd C:\\Windows\\System32', cursor: 22 });
  });

  it('keeps the text after the cursor', () => {
    const c = completer(ctx);
    expect(c('cd Win & echo x', 6, false)).toEqual({ line: 'cd Windows & echo x', cursor: 10 });
  });

  it('after cd only directories are offered; other commands see files too', () => {
    const c = completer(ctx);
    const a = c('cd Windows', 10, false)!;
    expect(c(a.line, a.cursor, false)).toEqual({ line: 'cd Windows', cursor: 10 });
    const d = completer(ctx);
    const b = d('type Windows', 12, false)!;
    expect(d(b.line, b.cursor, false)).toEqual({ line: 'type Windows.log', cursor: 16 });
  });

  it('no match leaves the line as it is', () => {
    const c = completer(ctx);
    expect(c('cd zzz', 6, false)).toBeUndefined();
  });
});
