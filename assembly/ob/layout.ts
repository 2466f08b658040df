// Object records, directory info blocks and the name index, laid out in
// linear memory.
//
// Object record (64 bytes; object id = index into the record table, 0 = none,
// 1 = the host root directory `\`):
//
//   0      1      2             4             8            12
//   +------+------+-------------+-------------+-------------+
//   | type | flags| nameLen u16 | namePtr u32 | parent u32  |
//   +------+------+-------------+-------------+-------------+
//   12 handleCount u32 | 16 pointerCount u32 | 20 bucketNext u32
//   24 bucketPrev u32  | 28 foldNext u32     | 32 foldHash u32
//   36 aux0 u32 (Directory: DirInfo ptr; SymbolicLink: target ptr)
//   40 aux1 u32 (SymbolicLink: target length in code units)
//   44 aux2 u32 (SymbolicLink: creator silo id)
//   48 ntBucket u32 (NT hash bucket 0..36 of the name)
//   52..63 reserved
//
// pointerCount counts references other than handles: one per directory
// entry naming this object as parent, one per directory using it as its
// shadow. An object is freed when handleCount = pointerCount = 0 and it is
// no longer in the namespace. A free record keeps its next-free id in
// `parent`.
//
// DirInfo (allocated per Directory, 256-byte class):
//   0..147  bucket heads u32 × 37 (NT enumeration order: bucket, then newest first)
//   148 entryCount u32 | 152 shadow dir id u32 | 156 silo id u32 (silo roots)
//   160 stamp u32 (bumps on insert/remove) | 164 cursorStamp | 168 cursorIndex
//   172 cursorBucket | 176 cursorObj  — the resumable enumeration cursor
//
// Name index: open addressing, linear probing, capacity a power of two,
// load ≤ 1/2. Slot (8 bytes) = [foldHash u32][object id u32]; id 0 = empty.
// The key is (parent, upcased name); the slot holds the NEWEST entry with
// that key, older ones (names differing only in case, created
// case-sensitively) hang off foldNext.

export const REC_SIZE: usize = 64;
export const REC_SHIFT: usize = 6;

export const R_TYPE: usize = 0;
export const R_FLAGS: usize = 1;
export const R_NAMELEN: usize = 2;
export const R_NAMEPTR: usize = 4;
export const R_PARENT: usize = 8;
export const R_HANDLES: usize = 12;
export const R_POINTERS: usize = 16;
export const R_BNEXT: usize = 20;
export const R_BPREV: usize = 24;
export const R_FNEXT: usize = 28;
export const R_FHASH: usize = 32;
export const R_AUX0: usize = 36;
export const R_AUX1: usize = 40;
export const R_AUX2: usize = 44;
export const R_NTBUCKET: usize = 48;

export const F_LIVE: u8 = 0x01;
export const F_NAMED: u8 = 0x02; // has a directory entry (is in the namespace)
export const F_PERMANENT: u8 = 0x04;
export const F_GLOBAL_LINK: u8 = 0x08;
export const F_SILO_ROOT: u8 = 0x10;

export const DIRINFO_SIZE: usize = 256;
export const D_COUNT: usize = 148;
export const D_SHADOW: usize = 152;
export const D_SILO: usize = 156;
export const D_STAMP: usize = 160;
export const D_CUR_STAMP: usize = 164;
export const D_CUR_INDEX: usize = 168;
export const D_CUR_BUCKET: usize = 172;
export const D_CUR_OBJ: usize = 176;

export const ROOT_ID: u32 = 1;
