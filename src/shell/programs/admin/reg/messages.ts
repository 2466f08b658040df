/**
 * reg.exe's messages, as it prints them (English, en-US). Errors go to
 * stderr, results to stdout; exit code 0 for success, 1 for failure
 * (`reg /?`: "Return Code: (Except for REG COMPARE) 0 - Successful,
 * 1 - Failed"; pg-fl.jp's reg reference: errors are written to STDERR).
 */
import { ERROR_ACCESS_DENIED, ERROR_CANCELLED, ERROR_FILE_NOT_FOUND, win32Message } from '../../../../core/win32.js';

export const SUCCESS = 'The operation completed successfully.';
export const CANNOT_FIND = 'ERROR: The system was unable to find the specified registry key or value.';
/** ERROR_CANCELLED's text (1223), what reg prints after a No. */
export const CANCELED = win32Message(ERROR_CANCELLED);
const ACCESS_DENIED = 'ERROR: Access is denied.';
export const INVALID_KEY = 'ERROR: Invalid key name.';
export const INVALID_SYNTAX = 'ERROR: Invalid syntax.';
/** DECIDED: what `reg import` says for a file it cannot open; Windows' text as remembered, not found in a citable source. */
export const IMPORT_OPEN_FAILED = 'ERROR: Error opening the file. There may be a disk or file system error.';
/** DECIDED: what `reg import` says for a file that is not a registry script. */
export const IMPORT_ACCESS_FAILED = 'ERROR: Error accessing the registry.';
/** DECIDED: SAVE, RESTORE, LOAD, UNLOAD, COMPARE and FLAGS are not served here. */
export const NOT_SUPPORTED = 'ERROR: The request is not supported.';

/** `Type "REG QUERY /?" for usage.` — the second line of every syntax error. */
export function usageHint(op?: string): string {
  return `Type "REG ${op ? op.toUpperCase() + ' ' : ''}/?" for usage.`;
}

export function invalidOption(arg: string): string {
  return `ERROR: Invalid argument/option - '${arg}'.`;
}

/** The message for a registry API failure (Win32 code), as reg formats GetLastError. */
export function registryError(code: number): string {
  if (code === ERROR_FILE_NOT_FOUND) return CANNOT_FIND;
  if (code === ERROR_ACCESS_DENIED) return ACCESS_DENIED;
  return `ERROR: ${win32Message(code)}`;
}

export const REG_USAGE = [
  '',
  'REG Operation [Parameter List]',
  '',
  '  Operation  [ QUERY   | ADD    | DELETE  | COPY    |',
  '               SAVE    | LOAD   | UNLOAD  | RESTORE |',
  '               COMPARE | EXPORT | IMPORT  | FLAGS ]',
  '',
  'Return Code: (Except for REG COMPARE)',
  '',
  '  0 - Successful',
  '  1 - Failed',
  '',
  'For help on a specific operation type:',
  '',
  '  REG Operation /?',
  '',
  'Examples:',
  '',
  '  REG QUERY /?',
  '  REG ADD /?',
  '  REG DELETE /?',
  '  REG COPY /?',
  '  REG SAVE /?',
  '  REG RESTORE /?',
  '  REG LOAD /?',
  '  REG UNLOAD /?',
  '  REG COMPARE /?',
  '  REG EXPORT /?',
  '  REG IMPORT /?',
  '  REG FLAGS /?',
];
