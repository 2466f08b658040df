// SET, SET /A, SET /P (Microsoft Learn "set"; ss64 SET /A).
import { describe, expect, it } from 'vitest';
import { run, runBatch } from '../support.js';

const batch = async (body: string, opts: { stdin?: string; name?: string } = {}) => runBatch(`@echo off\r\n${body}`, opts);

describe('set', () => {
  it('set name=value, and an empty value removes it', async () => {
    expect((await batch('set a=1\r\necho [%a%]\r\nset a=\r\necho [%a%]\r\n')).stdout).toBe('[1]\r\n[]\r\n');
  });

  it('spaces around = are part of the name and value', async () => {
    expect((await batch('set a = b\r\necho [%a %]\r\n')).stdout).toBe('[ b]\r\n');
  });

  it('set "name=value" takes the text up to the last quote', async () => {
    expect((await batch('set "a=x y" trailing\r\necho [%a%]\r\n')).stdout).toBe('[x y]\r\n');
  });

  it('set prefix lists the matching variables; none: "Environment variable x not defined", ERRORLEVEL 1', async () => {
    const r = await batch('set zz1=a\r\nset zz2=b\r\nset zz\r\nset nosuchvar\r\necho %errorlevel%\r\n');
    expect(r.stdout).toBe('zz1=a\r\nzz2=b\r\n1\r\n');
    expect(r.stderr).toBe('Environment variable nosuchvar not defined\r\n');
  });

  it('set alone lists every variable but the hidden =X: ones', async () => {
    const r = await run(['cmd', '/c', 'set']);
    expect(r.stdout).toMatch(/^ALLUSERSPROFILE=C:\\ProgramData\r\n/);
    expect(r.stdout).not.toMatch(/^=/m);
  });

  it('set /a evaluates with cmd precedence and prints the result only at the command line', async () => {
    expect((await run(['cmd', '/c', 'set /a (1+2)*3-4/2'])).stdout).toBe('7');
    expect((await batch('set /a x=7\r\n')).stdout).toBe('');
  });

  it('set /a: % / * + - << >> & ^ | ! ~ and unary minus', async () => {
    expect((await batch('set /a "a=17%%5, b=-7/2, c=1<<4, d=-16>>2, e=6&3, f=6^3, g=6|3, h=!0, i=~0, j=!5"\r\necho %a% %b% %c% %d% %e% %f% %g% %h% %i% %j%\r\n')).stdout).toBe('2 -3 16 -4 2 5 7 1 -1 0\r\n');
  });

  it('set /a: assignment operators and comma', async () => {
    expect((await batch('set /a "x=5, x+=2, x*=3, x-=1, x/=2, x%%=4, x<<=3, x|=1, x^=3, x&=6"\r\necho %x%\r\n')).stdout).toBe('2\r\n');
  });

  it('set /a reads hex and octal; variables by name; undefined as 0', async () => {
    expect((await batch('set v=0x10\r\nset /a r=v+010+0x1+nosuch\r\necho %r%\r\n')).stdout).toBe('25\r\n');
  });

  it('set /a wraps at 32 bits', async () => {
    expect((await run(['cmd', '/c', 'set /a 2147483647+1'])).stdout).toBe('-2147483648');
  });

  it('set /a errors print cmd\'s messages and set their ERRORLEVELs', async () => {
    const r = await batch('set /a 1/0\r\necho %errorlevel%\r\nset /a 1+\r\necho %errorlevel%\r\nset /a (1\r\necho %errorlevel%\r\nset /a 08\r\necho %errorlevel%\r\n');
    expect(r.stderr).toBe(
      'Divide by zero error.\r\nMissing operand.\r\nUnbalanced parenthesis.\r\nInvalid number.  Numeric constants are either decimal (17),\r\nhexadecimal (0x11), or octal (021).\r\n',
    );
    expect(r.stdout).toBe('1073750993\r\n1073750988\r\n1073750990\r\n1073750991\r\n');
  });

  it('set /p prints the prompt and reads a line', async () => {
    const r = await run(['cmd', '/c', 'set /p name=Name? & call echo [%name%]'], { stdin: 'Ada\r\n' });
    expect(r.stdout).toBe('Name? [Ada]\r\n');
  });

  it('set /p at end of input leaves the variable and sets ERRORLEVEL 1', async () => {
    const r = await run(['cmd', '/v:on', '/c', 'set /p v=?& echo [!errorlevel!]'], { stdin: '' });
    expect(r.stdout).toBe('?[1]\r\n');
  });

  it('<nul set /p =text prints text without a line end', async () => {
    expect((await batch('<nul set /p =no newline\r\necho ^|\r\n')).stdout).toBe('no newline|\r\n');
  });

  it('in a .cmd file SET clears ERRORLEVEL; in a .bat file it does not', async () => {
    const body = 'cmd /c exit 4\r\nset x=1\r\necho %errorlevel%\r\n';
    expect((await batch(body, { name: 'x.cmd' })).stdout).toBe('0\r\n');
    expect((await batch(body, { name: 'x.bat' })).stdout).toBe('4\r\n');
  });
});
