/**
 * `hcsdiag list`: the compute systems as the HCS diagnostic tool prints
 * them, two lines each —
 *
 *   <Id>
 *       <type>,<padding to 26 columns>\t<State>, <RuntimeId>, <Owner>
 *
 * The shape is a captured output of a current Windows (a utility VM:
 * `    VM,                       \tRunning, DE1517EC-BF1D-5A0B-B459-77A48CB1AD97, cowork-vm-1699151a`,
 * quoted in a public script's test of its hcsdiag parser): the type
 * followed by a comma left-justified in 26 columns, a tab, the state, the
 * RuntimeId in upper case, the owner. A VirtualMachine prints as `VM`;
 * decision: a container prints as `Container` (no captured container line
 * was found).
 */
import type { ComputeSystemSummary } from './types.js';

const TYPE_COLUMN = 26;

export function hcsdiagType(s: ComputeSystemSummary): string {
  return s.SystemType === 'VirtualMachine' ? 'VM' : 'Container';
}

/** The text `hcsdiag list` prints for these systems (CRLF line ends, as a Windows console program writes them). */
export function formatHcsdiagList(systems: readonly ComputeSystemSummary[]): string {
  let out = '';
  for (const s of systems) {
    out += `${s.Id}\r\n`;
    out += `    ${`${hcsdiagType(s)},`.padEnd(TYPE_COLUMN)}\t${s.State}, ${s.RuntimeId.toUpperCase()}, ${s.Owner}\r\n`;
  }
  return out;
}
