/**
 * net.exe's messages (NERR_* texts, lmerr.h, as `NET HELPMSG n` prints
 * them) and the lines every net command ends with. net writes errors to
 * stderr and exits with 2; successes end with `The command completed
 * successfully.` and a blank line, exit 0.
 */
import { win32Message, WIN32_MESSAGES } from '../../../../core/win32.js';

export const COMPLETED = 'The command completed successfully.';

/** NERR_* codes net.exe reports, with their texts (lmerr.h; "Network Management Error Codes", Microsoft Learn). */
export const NERR_SERVICE_INSTALLED = 2182;
export const NERR_BAD_SERVICE_NAME = 2185;
export const NERR_SERVICE_CTL_NOT_VALID = 2191;
export const NERR_USER_NOT_FOUND = 2221;
export const NERR_USER_EXISTS = 2224;
export const NERR_SERVICE_NOT_STARTED = 3521;

const NERR_TEXTS: ReadonlyMap<number, string> = new Map([
  [NERR_SERVICE_INSTALLED, 'The requested service has already been started.'],
  [NERR_BAD_SERVICE_NAME, 'The service name is invalid.'],
  [NERR_SERVICE_CTL_NOT_VALID, 'The requested pause, continue, or stop is not valid for this service.'],
  [NERR_USER_NOT_FOUND, 'The user name could not be found.'],
  [NERR_USER_EXISTS, 'The account already exists.'],
  [NERR_SERVICE_NOT_STARTED, 'The *** service is not started.'],
]);

/** A NERR error: its text, a blank line, the HELPMSG pointer, a blank line. */
export function nerr(code: number, insert?: string): string[] {
  const text = (NERR_TEXTS.get(code) ?? '').replace('***', insert ?? '***');
  return [text, '', `More help is available by typing NET HELPMSG ${code}.`, ''];
}

/** A Win32 error: `System error N has occurred.`, a blank line, the message, a blank line. */
export function systemError(code: number): string[] {
  return [`System error ${code} has occurred.`, '', win32Message(code), ''];
}

/** `NET HELPMSG n`: the text of a NERR or Win32 code, framed by blank lines; undefined for an unknown code. */
export function helpMessage(code: number): string | undefined {
  return NERR_TEXTS.get(code) ?? WIN32_MESSAGES.get(code)?.text;
}

/** What `net` alone (or an unknown subcommand) prints (`net /?` on Windows Server 2022). */
export const NET_SYNTAX = [
  'The syntax of this command is:',
  '',
  'NET',
  '    [ ACCOUNTS | COMPUTER | CONFIG | CONTINUE | FILE | GROUP | HELP |',
  '      HELPMSG | LOCALGROUP | PAUSE | SESSION | SHARE | START |',
  '      STATISTICS | STOP | TIME | USE | USER | VIEW ]',
  '',
];
