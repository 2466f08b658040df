// NTSTATUS values returned across the WASM ABI, as i32.
// Mirror of src/core/ntstatus.ts (AssemblyScript cannot import from src/);
// test/core/ntstatus-mirror.test.ts fails if the two tables drift apart.
// Source: [MS-ERREF] §2.3.1 "NTSTATUS Values".

export const STATUS_SUCCESS: i32 = 0x00000000;
export const STATUS_MORE_ENTRIES: i32 = 0x00000105;
export const STATUS_REPARSE_GLOBAL: i32 = 0x00000368;
export const STATUS_OBJECT_NAME_EXISTS: i32 = 0x40000000;
export const STATUS_NO_MORE_ENTRIES: i32 = 0x8000001a;
export const STATUS_INFO_LENGTH_MISMATCH: i32 = 0xc0000004;
export const STATUS_INVALID_HANDLE: i32 = 0xc0000008;
export const STATUS_INVALID_CID: i32 = 0xc000000b;
export const STATUS_INVALID_PARAMETER: i32 = 0xc000000d;
export const STATUS_ACCESS_DENIED: i32 = 0xc0000022;
export const STATUS_BUFFER_TOO_SMALL: i32 = 0xc0000023;
export const STATUS_OBJECT_TYPE_MISMATCH: i32 = 0xc0000024;
export const STATUS_OBJECT_NAME_INVALID: i32 = 0xc0000033;
export const STATUS_OBJECT_NAME_NOT_FOUND: i32 = 0xc0000034;
export const STATUS_OBJECT_NAME_COLLISION: i32 = 0xc0000035;
export const STATUS_OBJECT_PATH_INVALID: i32 = 0xc0000039;
export const STATUS_OBJECT_PATH_NOT_FOUND: i32 = 0xc000003a;
export const STATUS_OBJECT_PATH_SYNTAX_BAD: i32 = 0xc000003b;
export const STATUS_QUOTA_EXCEEDED: i32 = 0xc0000044;
export const STATUS_PRIVILEGE_NOT_HELD: i32 = 0xc0000061;
export const STATUS_DISK_FULL: i32 = 0xc000007f;
export const STATUS_INSUFFICIENT_RESOURCES: i32 = 0xc000009a;
export const STATUS_MEDIA_WRITE_PROTECTED: i32 = 0xc00000a2;
export const STATUS_FILE_CORRUPT_ERROR: i32 = 0xc0000102;
export const STATUS_NAME_TOO_LONG: i32 = 0xc0000106;
export const STATUS_PROCESS_IS_TERMINATING: i32 = 0xc000010a;
export const STATUS_COMMITMENT_LIMIT: i32 = 0xc000012d;
export const STATUS_IO_DEVICE_ERROR: i32 = 0xc0000185;
