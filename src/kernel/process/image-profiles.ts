/**
 * What a process of a given image typically looks like at rest: its thread
 * count, its working set (tasklist's "Mem Usage", Get-Process WS) and its
 * private bytes (the commit charged to its job when it starts). No program
 * really allocates here, so these figures are what tools show; they are
 * deterministic, one per image (svchost per service group).
 *
 * Source: the orders of magnitude of an idle Windows Server 2022 container
 * as tasklist and Get-Process show it (smss ≈ 1 MB, csrss ≈ 5 MB, lsass
 * ≈ 13–15 MB, svchost 5–25 MB depending on what it hosts, cmd ≈ 4 MB,
 * PowerShell ≈ 70 MB). Decision: the exact kilobytes are ours.
 */
import { fold } from '../../core/ob/upcase.js';

export interface ImageProfile {
  /** Threads the process runs once initialised (each takes a thread id from the CID table). */
  readonly threads: number;
  /** Working set in bytes. */
  readonly workingSet: number;
  /** Private bytes (commit) in bytes. */
  readonly privateBytes: number;
}

const K = 1024;
const profile = (threads: number, wsK: number, privK: number): ImageProfile => ({ threads, workingSet: wsK * K, privateBytes: privK * K });

const BY_IMAGE: ReadonlyMap<string, ImageProfile> = new Map([
  ['SYSTEM', profile(2, 144, 40)],
  ['SYSTEM IDLE PROCESS', profile(1, 8, 0)],
  ['REGISTRY', profile(4, 44_604, 4_912)],
  ['SMSS.EXE', profile(2, 1_196, 1_084)],
  ['CSRSS.EXE', profile(10, 5_012, 1_732)],
  ['WININIT.EXE', profile(2, 6_836, 1_396)],
  ['SERVICES.EXE', profile(6, 7_944, 4_312)],
  ['LSASS.EXE', profile(8, 14_580, 5_104)],
  ['SVCHOST.EXE', profile(5, 7_392, 1_920)],
  ['CEXECSVC.EXE', profile(5, 6_404, 1_588)],
  ['CMD.EXE', profile(1, 3_988, 2_464)],
  ['CONHOST.EXE', profile(3, 10_812, 6_876)],
  ['POWERSHELL.EXE', profile(15, 74_236, 58_412)],
  ['PWSH.EXE', profile(18, 91_404, 64_880)],
  ['TASKLIST.EXE', profile(4, 8_504, 1_904)],
  ['SERVICEMONITOR.EXE', profile(4, 5_660, 1_480)],
  ['W3WP.EXE', profile(20, 18_944, 9_808)],
  ['VMCOMPUTE.EXE', profile(14, 19_224, 7_408)],
  ['DOCKERD.EXE', profile(24, 61_508, 92_300)],
]);

/** svchost instances differ by what they host (`-k group` / `-s service`). */
const SVCHOST_BY_SERVICE: ReadonlyMap<string, ImageProfile> = new Map([
  ['DCOMLAUNCH', profile(8, 11_280, 3_560)],
  ['RPCSS', profile(7, 9_876, 3_112)],
  ['LSM', profile(5, 5_940, 1_536)],
  ['EVENTLOG', profile(6, 9_312, 2_992)],
  ['WINMGMT', profile(9, 13_236, 3_740)],
  ['SCHEDULE', profile(5, 8_620, 1_968)],
  ['DIAGTRACK', profile(10, 17_464, 8_004)],
  ['MPSSVC', profile(4, 10_204, 6_624)],
  ['BFE', profile(4, 8_904, 3_316)],
  ['DNSCACHE', profile(6, 8_096, 2_188)],
  ['DHCP', profile(5, 6_556, 1_640)],
  ['CRYPTSVC', profile(4, 7_388, 1_828)],
  ['WINRM', profile(5, 11_852, 3_068)],
  ['LANMANSERVER', profile(4, 7_172, 1_484)],
  ['LANMANWORKSTATION', profile(4, 6_384, 1_372)],
  ['PROFSVC', profile(4, 7_676, 1_812)],
]);

const DEFAULT = profile(3, 4_096, 1_024);

/** The profile of a process of `imageName` started with `commandLine`. */
export function imageProfile(imageName: string, commandLine = ''): ImageProfile {
  const name = fold(imageName);
  if (name === 'SVCHOST.EXE') {
    const m = /\s-s\s+(\S+)/i.exec(commandLine) ?? /\s-k\s+(\S+)/i.exec(commandLine);
    if (m) {
      const p = SVCHOST_BY_SERVICE.get(fold(m[1]!));
      if (p) return p;
    }
  }
  return BY_IMAGE.get(name) ?? DEFAULT;
}
