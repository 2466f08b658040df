/** Both implementations, set up the same way, for tests that must hold for each. */
import {
  ALL_PRIVILEGES,
  RefObjectNamespace,
  WasmObjectNamespace,
  type ObjectNamespace,
} from '../../../src/core/ob/index.js';
import { formatNtStatus, ntStatusName } from '../../../src/core/ntstatus.js';

export const IMPLS: [string, () => ObjectNamespace][] = [
  ['wasm', () => new WasmObjectNamespace()],
  ['ref', () => new RefObjectNamespace()],
];

/** A fresh namespace and a host process holding every privilege. */
export function host(make: () => ObjectNamespace): { ob: ObjectNamespace; p: number } {
  const ob = make();
  const r = ob.createProcess(0, 0, ALL_PRIVILEGES);
  if (r.status !== 0) throw new Error(`createProcess failed: ${formatNtStatus(r.status)}`);
  return { ob, p: r.process };
}

/** `STATUS_X` for assertion messages that name the status. */
export const st = (s: number): string => ntStatusName(s);
