// cmd.exe's switches and the /C quote rule (Microsoft Learn "cmd").
import { describe, expect, it } from 'vitest';
import { afterProgramName, applyQuoteRule, parseSwitches } from '../../../src/shell/cmd/main.js';
import { run } from '../support.js';

describe('cmd switches', () => {
  it('/c runs the command and exits with its ERRORLEVEL', async () => {
    expect(await run(['cmd', '/c', 'echo hi'])).toEqual({ stdout: 'hi\r\n', stderr: '', exitCode: 0 });
  });

  it('/c strips the outer quotes of a command line', async () => {
    expect((await run(['cmd', '/c', 'echo hi & echo there'])).stdout).toBe('hi \r\nthere\r\n');
  });

  it('/k runs the command and stays at the prompt', async () => {
    const r = await run(['cmd', '/k', 'echo first'], { stdin: 'echo second\r\n' });
    expect(r.stdout).toBe('first\r\n\r\nC:\\>echo second\r\nsecond\r\n\r\nC:\\>');
  });

  it('/q turns echo off', async () => {
    const r = await run(['cmd', '/q'], { stdin: 'echo x\r\n' });
    expect(r.stdout).toBe('Microsoft Windows [Version 10.0.20348.5499]\r\n(c) Microsoft Corporation. All rights reserved.\r\nx\r\n');
  });

  it('/v:on enables delayed expansion, /e:off disables extensions', async () => {
    expect((await run(['cmd', '/v:on', '/c', 'set a=1& echo !a!'])).stdout).toBe('1\r\n');
    expect((await run(['cmd', '/e:off', '/c', 'echo [%CMDEXTVERSION%]'])).stdout).toBe('[%CMDEXTVERSION%]\r\n');
  });

  it('exit N sets the exit code', async () => {
    expect((await run(['cmd', '/c', 'exit 3'])).exitCode).toBe(3);
    expect((await run(['cmd', '/c', 'exit /b 4'])).exitCode).toBe(4);
  });
});

describe('the /C quote rule', () => {
  const sw = (rest: string) => parseSwitches(rest);
  const exe = (name: string) => name === 'C:\\Program Files\\app.exe';

  it('keeps the quotes of a lone quoted executable with spaces', () => {
    expect(applyQuoteRule(' "C:\\Program Files\\app.exe"', sw(' /c'), exe)).toBe('"C:\\Program Files\\app.exe"');
  });

  it('strips the first and last quote otherwise', () => {
    expect(applyQuoteRule(' "C:\\Program Files\\app.exe" "arg"', sw(' /c'), exe)).toBe('C:\\Program Files\\app.exe" "arg');
    expect(applyQuoteRule(' "echo a & echo b"', sw(' /c'), exe)).toBe('echo a & echo b');
  });

  it('/S always strips them', () => {
    expect(applyQuoteRule(' "C:\\Program Files\\app.exe"', sw(' /s /c'), exe)).toBe('C:\\Program Files\\app.exe');
  });

  it('text not starting with a quote is kept as is', () => {
    expect(applyQuoteRule(' echo "a"', sw(' /c'), exe)).toBe('echo "a"');
  });

  it('switches before /C are read; /C ends them', () => {
    const s = parseSwitches(' /Q /D /V:ON /E:OFF /c echo /q');
    expect(s).toMatchObject({ q: true, d: true, delayed: true, extensions: false, command: ' echo /q', keep: false });
    expect(parseSwitches('/k dir').keep).toBe(true);
  });

  it('the program name is skipped, quoted or not', () => {
    expect(afterProgramName('"C:\\Windows\\System32\\cmd.exe" /c x')).toBe(' /c x');
    expect(afterProgramName('cmd/c x')).toBe('/c x');
  });
});
