// docker-py (python3 docker 7.1.0, what docker-compose v1 is built on)
// against the daemon: containers.run's sequence (it never attaches),
// attach before start, wait, logs, exec_run's upgrade, stats(stream=False)
// (gotcha 10), LogConfig in inspect (gotcha 15), NotFound.
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { run, useDaemon } from './support.js';

const d = useDaemon();
const script = fileURLToPath(new URL('./dockerpy.py', import.meta.url));

describe('docker-py', () => {
  test('the flows a Python client uses', async () => {
    const r = await run('python3', [script, `unix://${d().socket}`], { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: d().dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      version_os: 'windows',
      info_ostype: 'windows',
      run: 'from py\r\n',
      run_error: 3,
      attach: 'attached\r\n',
      wait: { StatusCode: 0 },
      logs: 'attached\r\n',
      status: 'exited',
      logconfig: { Type: 'json-file', Config: {} },
      exec: [0, 'ex\r\n'],
      exec_code: 6,
      stats_keys: ['cpu_stats', 'id', 'memory_stats', 'name', 'num_procs', 'storage_stats'],
      stats_name: '/pybg',
      listed: ['pybg'],
      notfound: 'No such container: nosuch',
    });
  });
});
