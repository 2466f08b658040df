// Object records, directory info blocks and the name index, laid out in
// linear memory.
//
// Object records (object id = index, 0 = none, 1 = the host root `\`) are
// split in two parallel tables so that a lookup touches one cache line per
// component: the hot part holds what a name comparison reads, with short
// names inline; the cold part the counts and chains.
//
// Hot record (64 bytes, 64-byte aligned):
//   0      1      2          3     4             6     8            12
//   +------+------+----------+-----+-------------+-----+------------+-------------+
//   | type | flags| ntBucket | pad | nameLen u16 | pad | parent u32 | foldHash u32|
//   +------+------+----------+-----+-------------+-----+------------+-------------+
//   16 aux0 u32 (Directory: DirInfo ptr; SymbolicLink: target ptr)
//   20..63 the name inline when it has ≤ 22 code units
//
// Cold record (32 bytes):
//   0 namePtr u32 (names of more than 22 units) | 4 handleCount | 8 pointerCount
//   12 bucketNext | 16 bucketPrev | 20 foldNext
//   24 aux1 u32 (SymbolicLink: target length in code units)
//   28 aux2 u32 (SymbolicLink: creator silo id)
//
// pointerCount counts references other than handles: one per directory
// entry naming this object as parent, one per directory using it as its
// shadow, one per process whose scope or device map it is. An object is
// freed when handleCount = pointerCount = 0 and it is no longer in the
// namespace. A free record keeps its next-free id in `parent`.
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
export const COLD_SIZE: usize = 32;
export const COLD_SHIFT: usize = 5;
export const INLINE_UNITS: i32 = 22;

// Hot record fields (offsets from rec(id)).
export const R_TYPE: usize = 0;
export const R_FLAGS: usize = 1;
export const R_NTBUCKET: usize = 2; // u8
export const R_NAMELEN: usize = 4; // u16
export const R_PARENT: usize = 8;
export const R_FHASH: usize = 12;
export const R_AUX0: usize = 16;
export const R_INLINE: usize = 20;

// Cold record fields (offsets from cold(id)).
export const C_NAMEPTR: usize = 0;
export const C_HANDLES: usize = 4;
export const C_POINTERS: usize = 8;
export const C_BNEXT: usize = 12;
export const C_BPREV: usize = 16;
export const C_FNEXT: usize = 20;
export const C_AUX1: usize = 24;
export const C_AUX2: usize = 28;

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
