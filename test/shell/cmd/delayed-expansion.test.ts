// Phase 5: delayed expansion (Microsoft Learn "setlocal", "cmd /v"; ss64 "EnableDelayedExpansion").
import { describe, expect, it } from 'vitest';
import { run, runBatch } from '../support.js';

const batch = async (body: string) => (await runBatch(`@echo off\r\n${body}`)).stdout;

describe('delayed expansion', () => {
  it('!var! sees values set earlier in the same block', async () => {
    expect(await batch('setlocal enabledelayedexpansion\r\nset x=old\r\n(\r\nset x=new\r\necho %x% !x!\r\n)\r\n')).toBe('old new\r\n');
  });

  it('without it, !var! is plain text', async () => {
    expect(await batch('set x=1\r\necho !x!\r\n')).toBe('!x!\r\n');
  });

  it('counts inside a FOR loop', async () => {
    expect(await batch('setlocal enabledelayedexpansion\r\nset n=0\r\nfor %%i in (a b c) do (\r\nset /a n+=1\r\necho !n!:%%i\r\n)\r\n')).toBe('1:a\r\n2:b\r\n3:c\r\n');
  });

  it('!var:~s,l! and !var:a=b! work as their % forms do', async () => {
    expect(await batch('setlocal enabledelayedexpansion\r\nset x=abcdef\r\necho !x:~1,3! !x:c=C!\r\n')).toBe('bcd abCdef\r\n');
  });

  it('an undefined !var! vanishes in a batch file; a lone ! too', async () => {
    expect(await batch('setlocal enabledelayedexpansion\r\necho [!nope!] a!b\r\n')).toBe('[] ab\r\n');
  });

  it('carets escape ! when the line has one', async () => {
    expect(await batch('setlocal enabledelayedexpansion\r\nset x=1\r\necho "^!x^!" !x!\r\n')).toBe('"!x!" 1\r\n');
  });

  it('cmd /v:on enables it for /c', async () => {
    expect((await run(['cmd', '/v:on', '/c', 'set x=1& set x=2& echo !x!'])).stdout).toBe('2\r\n');
  });

  it('endlocal turns it off again', async () => {
    expect(await batch('setlocal enabledelayedexpansion\r\nendlocal\r\nset x=1\r\necho !x!\r\n')).toBe('!x!\r\n');
  });
});
