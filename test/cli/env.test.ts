// --env-file (docker/cli pkg/kvfile) and -e NAME lookups (opts.ValidateEnv).
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { DROPPED } from '../../src/cli/flags.js';
import { EnvFileError, parseEnvFile, parseEnvText, validateEnv } from '../../src/cli/env.js';

const env: Record<string, string> = { HOSTVAR: 'from host' };
const lookup = (n: string): string | undefined => env[n];
const text = (s: string | Uint8Array): string[] => parseEnvText(typeof s === 'string' ? new TextEncoder().encode(s) : s, lookup, 'f.env');

describe('env files', () => {
  test('lines are kept verbatim: no quotes removed, no interpolation, trailing spaces kept', () => {
    expect(text('A="quoted"\nB=$HOME\nC=trailing  \nD=\n')).toEqual(['A="quoted"', 'B=$HOME', 'C=trailing  ', 'D=']);
  });

  test('comments, blank lines and leading whitespace go; CRLF ends a line; a BOM on line 1 goes', () => {
    expect(text('\ufeff# comment\r\n\r\n   X=1\r\n\t# indented comment\nY=2')).toEqual(['X=1', 'Y=2']);
  });

  test('a bare name is looked up like -e NAME, and left out when unset', () => {
    expect(text('HOSTVAR\nUNSET\n')).toEqual(['HOSTVAR=from host']);
  });

  test.each([
    ['=value\n', "invalid env file (f.env): no variable name on line '=value'"],
    ['MY VAR=1\n', "invalid env file (f.env): variable 'MY VAR' contains whitespaces"],
    ['A\tB=1\n', "invalid env file (f.env): variable 'A\tB' contains whitespaces"],
  ])('%j → %s', (content, message) => {
    expect(() => text(content)).toThrow(EnvFileError);
    expect(() => text(content)).toThrow(message);
  });

  test('invalid UTF-8 is reported with the line number and bytes, as Go prints a []byte', () => {
    expect(() => text(new Uint8Array([0x41, 0x3d, 0x31, 0x0a, 0x42, 0x3d, 0xff, 0x0a]))).toThrow('invalid env file (f.env): invalid utf8 bytes at line 2: [66 61 255]');
  });

  test("files that cannot be read: Go's open error, or the scanner's read error for a directory", () => {
    const dir = mkdtempSync(join(tmpdir(), 'winsilo-env-'));
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'ok.env'), 'K=V\n');
    expect(parseEnvFile(join(dir, 'ok.env'), lookup)).toEqual(['K=V']);
    expect(() => parseEnvFile(join(dir, 'missing.env'), lookup)).toThrow(`open ${join(dir, 'missing.env')}: no such file or directory`);
    expect(() => parseEnvFile(join(dir, 'sub'), lookup)).toThrow(`invalid env file (${join(dir, 'sub')}): read ${join(dir, 'sub')}: is a directory`);
  });
});

describe('-e values', () => {
  test('K=V as is, K from the environment, an unset K dropped, an empty name refused', () => {
    expect(validateEnv('K=V', lookup)).toBe('K=V');
    expect(validateEnv('HOSTVAR', lookup)).toBe('HOSTVAR=from host');
    expect(validateEnv('UNSET', lookup)).toBe(DROPPED);
    expect(() => validateEnv('=V', lookup)).toThrow('invalid environment variable: =V');
  });
});
