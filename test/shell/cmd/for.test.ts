// FOR (Microsoft Learn "for"; ss64 FOR, FOR /F, FOR /L, FOR /R, FOR /D).
import { describe, expect, it } from 'vitest';
import { run, runBatch } from '../support.js';

const batch = async (body: string, files?: Record<string, string>) => runBatch(`@echo off\r\n${body}`, { files });

describe('for', () => {
  it('iterates a list split at spaces, commas, semicolons and =', async () => {
    expect((await batch('for %%a in (1 2,3;4=5 "6 7") do echo %%a\r\n')).stdout).toBe('1\r\n2\r\n3\r\n4\r\n5\r\n"6 7"\r\n');
  });

  it('at the command line the variable is %a', async () => {
    expect((await run(['cmd', '/c', 'for %a in (x y) do @echo %a'])).stdout).toBe('x\r\ny\r\n');
  });

  it('wildcards list matching files', async () => {
    const r = await batch('for %%f in (C:\\t\\*.txt) do echo %%~nxf\r\n', { 'a.txt': '1', 'b.txt': '2', 'c.log': '3' });
    expect(r.stdout).toBe('a.txt\r\nb.txt\r\n');
  });

  it('/l counts from start by step to end', async () => {
    expect((await batch('for /l %%i in (1,1,3) do echo %%i\r\nfor /l %%i in (5,-2,1) do echo %%i\r\n')).stdout).toBe('1\r\n2\r\n3\r\n5\r\n3\r\n1\r\n');
  });

  it('/d lists directories', async () => {
    const r = await batch('for /d %%d in (C:\\Users\\*) do echo %%d\r\n');
    expect(r.stdout).toContain('C:\\Users\\ContainerAdministrator\r\n');
  });

  it('/r walks a tree', async () => {
    const r = await batch('md C:\\t\\sub 2>nul\r\nfor /r C:\\t %%f in (*.txt) do echo %%f\r\n', { 'a.txt': '1' });
    expect(r.stdout).toBe('C:\\t\\a.txt\r\n');
  });

  it('/f splits a string into tokens', async () => {
    expect((await batch('for /f "tokens=1,3 delims=," %%a in ("a,b,c,d") do echo %%a %%b\r\n')).stdout).toBe('a c\r\n');
  });

  it('/f tokens=2* puts the rest of the line in the next variable', async () => {
    expect((await batch('for /f "tokens=2*" %%a in ("one two three four") do echo [%%a][%%b]\r\n')).stdout).toBe('[two][three four]\r\n');
  });

  it('/f reads a file line by line, skipping empty lines, eol lines and skip= lines', async () => {
    const r = await batch('for /f "skip=1 eol=#" %%l in (C:\\t\\in.txt) do echo [%%l]\r\n', { 'in.txt': 'header\r\nfirst line\r\n\r\n#comment\r\nsecond\r\n' });
    expect(r.stdout).toBe('[first]\r\n[second]\r\n');
  });

  it('/f with usebackq reads a quoted file name and runs `command`', async () => {
    const r = await batch('for /f "usebackq delims=" %%l in ("C:\\t\\in.txt") do echo [%%l]\r\nfor /f "usebackq" %%x in (`echo out`) do echo %%x\r\n', { 'in.txt': 'a b\r\n' });
    expect(r.stdout).toBe('[a b]\r\nout\r\n');
  });

  it("/f runs 'command' and reads its output", async () => {
    expect((await batch("for /f %%v in ('ver') do echo %%v\r\n")).stdout).toBe('Microsoft\r\n');
  });

  it('%%~ modifiers apply to FOR variables', async () => {
    const r = await batch('for %%f in (C:\\t\\data.txt) do echo %%~nf^|%%~xf^|%%~dpf^|%%~zf\r\n', { 'data.txt': 'abc' });
    expect(r.stdout).toBe('data|.txt|C:\\t\\|3\r\n');
  });

  it('/f on a missing file reports it', async () => {
    const r = await batch('for /f %%l in (C:\\t\\nofile.txt) do echo %%l\r\n');
    expect(r.stderr).toBe('The system cannot find the file C:\\t\\nofile.txt.\r\n');
  });

  it('a malformed FOR: "x was unexpected at this time."', async () => {
    const r = await batch('for %%a (1 2) do echo %%a\r\n');
    expect(r.stderr).toBe('(1 was unexpected at this time.\r\n');
  });

  it('goto inside a FOR body leaves the loop', async () => {
    expect((await batch('for %%i in (1 2 3) do (echo %%i\r\ngoto done)\r\n:done\r\necho end\r\n')).stdout).toBe('1\r\nend\r\n');
  });
});
