// Object types, attributes and privileges as the ABI numbers them. The type
// names users see ("Directory", "SymbolicLink", …) live in
// src/core/ob/types.ts; the numbers here are winsilo's own.

export const TYPE_DIRECTORY: u8 = 1;
export const TYPE_SYMBOLIC_LINK: u8 = 2;
export const TYPE_EVENT: u8 = 3;
export const TYPE_MUTANT: u8 = 4;
export const TYPE_SEMAPHORE: u8 = 5;
export const TYPE_SECTION: u8 = 6;
export const TYPE_JOB: u8 = 7;
export const TYPE_DEVICE: u8 = 8;
export const TYPE_SESSION: u8 = 9;
export const TYPE_TYPE: u8 = 10;
export const TYPE_KEY: u8 = 11;
export const TYPE_MAX: u8 = 11;

// OBJECT_ATTRIBUTES.Attributes (ntdef.h, "OBJECT_ATTRIBUTES structure").
export const OBJ_INHERIT: u32 = 0x00000002;
export const OBJ_PERMANENT: u32 = 0x00000010;
export const OBJ_EXCLUSIVE: u32 = 0x00000020;
export const OBJ_CASE_INSENSITIVE: u32 = 0x00000040;
export const OBJ_OPENIF: u32 = 0x00000080;
export const OBJ_OPENLINK: u32 = 0x00000100;
export const OBJ_KERNEL_HANDLE: u32 = 0x00000200;
export const OBJ_FORCE_ACCESS_CHECK: u32 = 0x00000400;
export const OBJ_IGNORE_IMPERSONATED_DEVICEMAP: u32 = 0x00000800;
export const OBJ_DONT_REPARSE: u32 = 0x00001000;
/** OBJ_VALID_ATTRIBUTES: any other bit is STATUS_INVALID_PARAMETER. */
export const OBJ_VALID_ATTRIBUTES: u32 = 0x00001ff2;

// Caller privileges the namespace checks.
export const PRIV_CREATE_PERMANENT: u32 = 1; // SeCreatePermanentPrivilege
export const PRIV_TCB: u32 = 2; // SeTcbPrivilege
