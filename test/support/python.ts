/** Python 3 as an independent implementation of file formats (zipfile, tarfile) for tests to check winsilo's output against. */
import { spawnSync } from 'node:child_process';

/** Runs `script` with python3 and returns its stdout; throws with its stderr when it fails. */
export function python(script: string): string {
  const r = spawnSync('python3', ['-c', script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout;
}
