// Robocopy as Dockerfiles use it: what it copies (new, changed, skipped,
// extra; /S, /E, /MIR, /XF, /XD), its exit-code bit mask, the quiet logging
// flags, and a missing source as its fatal error 16.
import { describe, expect, test } from 'vitest';
import { run } from '../support.js';

const QUIET = '/NJH /NJS /NFL /NDL /NC /NS /NP';
// Delayed expansion: each !errorlevel! is read after the robocopy before it ran.
const cmd = (line: string) => run(['cmd', '/v:on', '/c', line]);

describe('robocopy', () => {
  test('copies new files (exit 1), then nothing to do (0), a changed file again (1), an extra in the destination (2); quiet flags print nothing', async () => {
    const r = await cmd(
      [
        'md C:\\s\\sub & echo a> C:\\s\\a.txt & echo b> C:\\s\\sub\\b.txt & echo noext> C:\\s\\README',
        `robocopy C:\\s C:\\d ${QUIET} >nul & echo first=!errorlevel!`,
        `robocopy C:\\s C:\\d ${QUIET} & echo again=!errorlevel!`,
        `echo aa> C:\\s\\a.txt & robocopy C:\\s C:\\d ${QUIET} & echo changed=!errorlevel!`,
        `echo x> C:\\d\\extra.txt & robocopy C:\\s C:\\d ${QUIET} & echo extra=!errorlevel!`,
        'dir /b C:\\d & type C:\\d\\a.txt & if not exist C:\\d\\sub echo no-sub-without-/S',
      ].join(' & '),
    );
    expect(r.stdout).toBe('first=1 \r\nagain=0 \r\nchanged=1 \r\nextra=2 \r\na.txt\r\nextra.txt\r\nREADME\r\naa \r\nno-sub-without-/S\r\n');
  });

  test('/E copies the tree with empty folders, /XF and /XD leave out what they name, /MIR deletes extras (exit 3: copied and extras)', async () => {
    const r = await cmd(
      [
        'md C:\\s\\sub C:\\s\\empty C:\\s\\skipme & echo a> C:\\s\\a.txt & echo b> C:\\s\\sub\\b.log & echo c> C:\\s\\skipme\\c.txt',
        `robocopy C:\\s C:\\d /E /XF *.log /XD skipme ${QUIET} & echo e=!errorlevel!`,
        'dir /s /b C:\\d',
        `md C:\\d\\old & echo o> C:\\d\\old.txt & echo a2> C:\\s\\a.txt & robocopy C:\\s C:\\d /MIR ${QUIET} & echo mir=!errorlevel!`,
        'dir /s /b C:\\d',
      ].join(' & '),
    );
    expect(r.stdout).toBe(
      ['e=1 ', 'C:\\d\\a.txt', 'C:\\d\\empty', 'C:\\d\\sub', 'mir=3 ', 'C:\\d\\a.txt', 'C:\\d\\empty', 'C:\\d\\skipme', 'C:\\d\\sub', 'C:\\d\\skipme\\c.txt', 'C:\\d\\sub\\b.log', ''].join('\r\n'),
    );
  });

  test('a missing source is the fatal error 16 with the Win32 text; the job header names source and destination', async () => {
    const missing = await cmd('robocopy C:\\nope C:\\d /NJH & echo rc=!errorlevel!');
    expect(missing.stdout).toMatch(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d ERROR 2 \(0x00000002\) Accessing Source Directory C:\\nope\\\r\nThe system cannot find the file specified.\r\n\r\nrc=16\r\n$/);
    const full = await cmd('md C:\\s & echo a> C:\\s\\a.txt & robocopy C:\\s C:\\d');
    expect(full.stdout).toContain('   ROBOCOPY     ::     Robust File Copy for Windows');
    expect(full.stdout).toContain('   Source : C:\\s\\\r\n     Dest : C:\\d\\\r\n');
    expect(full.stdout).toMatch(/ {3}Files : {9}1 {9}1 {9}0 {9}0 {9}0 {9}0\r\n/);
  });
});
