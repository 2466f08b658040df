// cmd reading commands from a pipe (stdin not a console): banner, prompt, each command echoed after it.
import { describe, expect, it } from 'vitest';
import { run } from '../support.js';

const BANNER = 'Microsoft Windows [Version 10.0.20348.5499]\r\n(c) Microsoft Corporation. All rights reserved.\r\n';

describe('prompt loop', () => {
  it('prints the banner, then the prompt and each command read, then output', async () => {
    const r = await run(['cmd'], { stdin: 'echo hi\r\n' });
    expect(r.stdout).toBe(`${BANNER}\r\nC:\\>echo hi\r\nhi\r\n\r\nC:\\>`);
    expect(r.exitCode).toBe(0);
  });

  it('an empty line prints the prompt again without a blank line', async () => {
    const r = await run(['cmd'], { stdin: '\r\necho a\r\n' });
    expect(r.stdout).toBe(`${BANNER}\r\nC:\\>\r\nC:\\>echo a\r\na\r\n\r\nC:\\>`);
  });

  it('exit ends the session with its code', async () => {
    const r = await run(['cmd'], { stdin: 'exit 6\r\necho never\r\n' });
    expect(r.stdout).toBe(`${BANNER}\r\nC:\\>exit 6\r\n`);
    expect(r.exitCode).toBe(6);
  });

  it('the prompt follows PROMPT and the current directory', async () => {
    const r = await run(['cmd'], { stdin: 'cd Windows\r\nprompt $P$_$G\r\n' });
    expect(r.stdout).toBe(`${BANNER}\r\nC:\\>cd Windows\r\n\r\nC:\\Windows>prompt $P$_$G\r\n\r\nC:\\Windows\r\n>`);
  });

  it('a block spanning lines asks for more', async () => {
    const r = await run(['cmd'], { stdin: '(echo a\r\necho b)\r\n' });
    expect(r.stdout).toBe(`${BANNER}\r\nC:\\>(echo a\r\nMore? echo b)\r\na\r\nb\r\n\r\nC:\\>`);
  });
});
