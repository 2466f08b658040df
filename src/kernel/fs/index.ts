/**
 * The simulated host's file systems: NTFS volumes on blocks disks, host
 * directories bound into containers, and the Win32 view a silo's processes
 * use. README.md explains the layout and the rules.
 */
export * from './types.js';
export { FS_LIMITS, type FsLimits } from './limits.js';
export { foldName, compareNames, namesEqual, componentProblem, checkComponent, dosDeviceName, consoleName } from './names.js';
export { parseWin32Path, parseNtPath, getFullPathName, splitVolumePath, joinVolumePath, type Win32Path, type Win32Target } from './win32-path.js';
export { formatVolume, mountVolume, NtfsVolume, NtfsHandle, SETTABLE_ATTRIBUTES, type Clock, type FormatOptions, type MountOptions } from './ntfs/volume.js';
export { HostVolume, type HostVolumeOptions } from './host-volume.js';
export { SiloFileSystem, CONTAINER_MAPPED_DIRECTORIES, type SiloFileSystemOptions } from './view.js';
export { shareConflict, type ShareClaim } from './share-access.js';
export { readToEnd } from './whole-file.js';
