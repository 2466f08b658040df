/** File and text utilities cmd scripts call: xcopy, attrib, find, findstr, sort, more, where, timeout, choice. */
import { SYSTEM32, type ShellProgram } from '../../types.js';
import { attribMain } from './attrib.js';
import { choiceMain } from './choice.js';
import { findMain } from './find.js';
import { findstrMain } from './findstr.js';
import { moreMain } from './more.js';
import { sortMain } from './sort.js';
import { timeoutMain } from './timeout.js';
import { whereMain } from './where.js';
import { xcopyMain } from './xcopy.js';

export const fileUtilityPrograms: readonly ShellProgram[] = [
  { path: `${SYSTEM32}\\xcopy.exe`, program: xcopyMain },
  { path: `${SYSTEM32}\\attrib.exe`, program: attribMain },
  { path: `${SYSTEM32}\\find.exe`, program: findMain },
  { path: `${SYSTEM32}\\findstr.exe`, program: findstrMain },
  { path: `${SYSTEM32}\\sort.exe`, program: sortMain },
  { path: `${SYSTEM32}\\more.com`, program: moreMain },
  { path: `${SYSTEM32}\\where.exe`, program: whereMain },
  { path: `${SYSTEM32}\\timeout.exe`, program: timeoutMain },
  { path: `${SYSTEM32}\\choice.exe`, program: choiceMain },
];

/** The support matrix of these programs (house style §7). */
export const FILE_UTILITY_SUPPORT: ReadonlyMap<string, { support: 'supported' | 'partial'; note?: string }> = new Map([
  ['xcopy', { support: 'partial', note: '/s /e /i /y /-y /q /f /l /h /r /k /c /t /u /d /a /m /exclude:; /d:date, /v /w /z /j /g /n /o /x /b /p accepted without effect' }],
  ['attrib', { support: 'partial', note: 'r a s h i o; no /l on links (links are shown as their targets)' }],
  ['find', { support: 'supported' }],
  ['findstr', { support: 'partial', note: 'regex subset . * ^ $ [] [^] \\< \\>; /p /a accepted without effect; no 8.3 names' }],
  ['sort', { support: 'partial', note: 'case-insensitive ordinal order rather than the locale collation; /m /l /rec /t accepted' }],
  ['more', { support: 'partial', note: 'never pages (see more.ts)' }],
  ['where', { support: 'supported' }],
  ['timeout', { support: 'supported' }],
  ['choice', { support: 'supported' }],
]);
