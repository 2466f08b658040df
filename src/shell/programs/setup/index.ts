/** Tools Dockerfiles set a container up with: setx (persistent environment variables), certutil (file hashes, base64), chcp (the console code page), tar (bsdtar: zip, tar, tar.gz), Dism (online feature servicing), Robocopy. */
import { SYSTEM32, type ShellProgram } from '../../types.js';
import { certutilMain } from './certutil.js';
import { chcpMain } from './chcp.js';
import { dismMain } from './dism.js';
import { robocopyMain } from './robocopy.js';
import { setxMain } from './setx.js';
import { tarMain } from './tar.js';

export const setupPrograms: readonly ShellProgram[] = [
  { path: `${SYSTEM32}\\setx.exe`, program: setxMain },
  { path: `${SYSTEM32}\\certutil.exe`, program: certutilMain },
  { path: `${SYSTEM32}\\chcp.com`, program: chcpMain },
  { path: `${SYSTEM32}\\tar.exe`, program: tarMain },
  { path: `${SYSTEM32}\\Dism.exe`, program: dismMain },
  { path: `${SYSTEM32}\\Robocopy.exe`, program: robocopyMain },
];
