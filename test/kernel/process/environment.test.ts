// The environment block as ntdll keeps it (ReactOS/Wine RtlSetEnvironmentVariable).
import { describe, expect, test } from 'vitest';
import { ERROR_INVALID_PARAMETER, Win32Error } from '../../../src/core/win32.js';
import { Environment } from '../../../src/kernel/process/environment.js';

const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof Win32Error) return e.code;
    throw e;
  }
  return 0;
};

describe('environment block', () => {
  test('names are looked up case-insensitively and keep the case they were created with', () => {
    const env = Environment.empty();
    env.set('Path', 'C:\\Windows');
    expect(env.get('PATH')).toBe('C:\\Windows');
    expect(env.get('path')).toBe('C:\\Windows');
    env.set('PATH', 'C:\\x');
    expect([...env]).toEqual([['Path', 'C:\\x']]);
  });

  test('a new name is inserted in case-insensitive sorted position', () => {
    const env = Environment.empty();
    for (const n of ['windir', 'ComSpec', 'Path', 'ALLUSERSPROFILE', 'TEMP']) env.set(n, 'v');
    expect([...env].map(([n]) => n)).toEqual(['ALLUSERSPROFILE', 'ComSpec', 'Path', 'TEMP', 'windir']);
  });

  test('names are compared upcased, so _ sorts after the letters and = before them', () => {
    const env = Environment.empty();
    env.set('_X', '1');
    env.set('ZZ', '2');
    env.set('=C:', 'C:\\Users');
    env.set('A', '3');
    expect([...env].map(([n]) => n)).toEqual(['=C:', 'A', 'ZZ', '_X']);
  });

  test('hidden =C: style entries are ordinary entries: set, read and listed in the block', () => {
    const env = Environment.from({ PATH: 'x' });
    env.set('=C:', 'C:\\Windows');
    env.set('=ExitCode', '00000000');
    expect(env.get('=c:')).toBe('C:\\Windows');
    expect(env.toBlock()).toBe('=C:=C:\\Windows\0=ExitCode=00000000\0PATH=x\0\0');
  });

  test('a name with = after its first character, or an empty name, is ERROR_INVALID_PARAMETER', () => {
    const env = Environment.empty();
    expect(code(() => env.set('A=B', 'x'))).toBe(ERROR_INVALID_PARAMETER);
    expect(code(() => env.set('', 'x'))).toBe(ERROR_INVALID_PARAMETER);
    expect(env.get('A=B')).toBeUndefined();
  });

  test('a value longer than 32,767 characters is refused; exactly 32,767 is fine', () => {
    const env = Environment.empty();
    env.set('V', 'x'.repeat(32767));
    expect(env.get('V')!.length).toBe(32767);
    expect(code(() => env.set('V', 'x'.repeat(32768)))).toBe(ERROR_INVALID_PARAMETER);
  });

  test('setting undefined removes; removing a missing name is no error', () => {
    const env = Environment.from({ A: '1', B: '2' });
    env.set('a', undefined);
    env.delete('missing');
    expect(env.toStrings()).toEqual(['B=2']);
  });

  test('a block given whole keeps its order; later sets insert sorted', () => {
    const env = Environment.fromBlock('Z=1\0A=2\0\0');
    expect(env.toStrings()).toEqual(['Z=1', 'A=2']);
    env.set('M', '3');
    expect(env.toStrings()).toEqual(['M=3', 'Z=1', 'A=2']);
  });

  test('a block string splits at the first = after the first character', () => {
    const env = Environment.from(['=D:=D:\\data', 'X=a=b']);
    expect(env.get('=D:')).toBe('D:\\data');
    expect(env.get('X')).toBe('a=b');
  });

  test('a clone shares nothing observable: changes on either side stay there', () => {
    const a = Environment.from({ A: '1' });
    const b = a.clone();
    b.set('B', '2');
    a.set('A', 'changed');
    expect(a.toStrings()).toEqual(['A=changed']);
    expect(b.toStrings()).toEqual(['A=1', 'B=2']);
  });

  test('ExpandEnvironmentStrings leaves unknown names and lone percents alone', () => {
    const env = Environment.from({ SystemRoot: 'C:\\Windows' });
    expect(env.expand('%SYSTEMROOT%\\system32 %nope% 100%')).toBe('C:\\Windows\\system32 %nope% 100%');
  });

  test('an empty block is two terminating nulls', () => {
    expect(Environment.empty().toBlock()).toBe('\0\0');
  });
});
