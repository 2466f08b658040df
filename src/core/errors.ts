import { formatNtStatus, ntStatusMessage, ntStatusName } from './ntstatus.js';

/**
 * A failed NT operation at the TypeScript boundary: the operation that
 * failed, the NTSTATUS, the message Windows shows for it, and the object it
 * concerned (a path, a handle, a disk id). One error type per domain
 * (house style §2); Win32 and Docker errors get their own in later layers.
 */
export class NtStatusError extends Error {
  override readonly name = 'NtStatusError';
  constructor(
    /** The operation, e.g. `NtOpenDirectoryObject` or `blocks.write`. */
    readonly op: string,
    /** The NTSTATUS as a signed 32-bit integer. */
    readonly status: number,
    /** What the operation was applied to, if anything. */
    readonly object?: string,
  ) {
    super(
      `${op}${object !== undefined ? ` ${object}` : ''}: ${ntStatusName(status)} (${formatNtStatus(status)}): ${ntStatusMessage(status, object ?? '').replace(/\n/g, ' ')}`,
    );
  }
  /** The status name as ntstatus.h spells it, e.g. `STATUS_OBJECT_NAME_COLLISION`. */
  get statusName(): string {
    return ntStatusName(this.status);
  }
}
