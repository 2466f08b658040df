/**
 * The file tree a base image holds (its C: as the image layers make it),
 * as data, and the generator that writes it onto a volume.
 *
 * What a real container shows, and where it comes from:
 *  - `dir C:\` in servercore 1809: License.txt (5,510 bytes, dated
 *    09/15/2018 — the release's RTM date), Program Files, Program Files
 *    (x86), Users, Windows; ProgramData is hidden (recorded in a training
 *    repository's demo, "Volume Serial Number is 38CD-4889"). Nano Server
 *    2016 showed the same folders with a 1,894-byte License.txt.
 *  - The root's hidden compatibility links (`Documents and Settings` →
 *    C:\Users, a junction) and a profile's (`Application Data`, `My
 *    Documents`, … junctions; `All Users` → C:\ProgramData a symbolic link)
 *    are those of any Windows installation since Vista.
 *  - IIS: C:\inetpub\wwwroot\iisstart.htm + iisstart.png, C:\ServiceMonitor.exe
 *    (microsoft/iis-docker Dockerfile), System32\inetsrv.
 *  - Nano Server has no PowerShell, no SysWOW64, no tasklist.exe
 *    (windows-facts §2), far fewer files.
 * Sizes, the file lists and the choice of which files the monthly update
 * rewrote are DECIDED (tree-data.ts): realistic, deterministic, not exact.
 *
 * File contents: programs and libraries get a 512-byte PE header (MZ, a
 * DOS stub, the PE signature and machine) and are extended to their size
 * with SetEndOfFile — unwritten blocks read as zeros and cost no storage,
 * so a Server Core tree stays cheap to build and to clone. Text files
 * (License.txt, iisstart.htm, hosts, win.ini, …) hold text of our own.
 * Registry hive files hold a `regf` signature and zeros: the registry
 * itself comes from hives.ts, not from these files.
 */
import {
  FILE_ATTRIBUTE_ARCHIVE,
  FILE_ATTRIBUTE_HIDDEN,
  FILE_ATTRIBUTE_NORMAL,
  FILE_ATTRIBUTE_NOT_CONTENT_INDEXED,
  FILE_ATTRIBUTE_READONLY,
  FILE_ATTRIBUTE_SYSTEM,
  IO_REPARSE_TAG_MOUNT_POINT,
  IO_REPARSE_TAG_SYMLINK,
  type Volume,
} from '../../kernel/fs/types.js';
import { CUSTERR_STATUSES, customErrorPage } from '../../net/iis/custerr.js';
import { catalogTime, type BaseImageSpec } from './catalog.js';
import {
  DRIVERS,
  INETSRV,
  OPENSSH,
  POWERSHELL_MODULES,
  PROFILE_FOLDERS,
  PROFILE_JUNCTIONS,
  SYSTEM32_LIBRARIES,
  SYSTEM32_PROGRAMS,
  WBEM,
  WINDOWS_FOLDERS,
  parseList,
  type ListedFile,
} from './tree-data.js';

/** Which of the image's fixed times an entry carries. */
export type TreeTime =
  /** The release's RTM build: files no monthly update rewrote. */
  | 'rtm'
  /** The OS layer's last update ("Install update …" / "Apply image …"). */
  | 'build'
  /** The image's own layer on top of the OS (IIS). */
  | 'app';

export type TreeContent =
  /** A PE image: header written, the rest left unwritten (zeros). `machine` as in IMAGE_FILE_HEADER. */
  | { readonly kind: 'pe'; readonly machine: 'amd64' | 'i386' }
  /** Exactly these bytes (text is written as UTF-8, which for our texts is ASCII). */
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array }
  /** A registry hive file: `regf` and zeros. */
  | { readonly kind: 'hive' }
  /** Nothing written: the file is its size of zeros. */
  | { readonly kind: 'zeros' };

export interface TreeNode {
  /** Volume path: `\Windows\System32\cmd.exe`. Parents come before children. */
  readonly path: string;
  readonly type: 'directory' | 'file' | 'junction' | 'symlink';
  /** The settable FILE_ATTRIBUTE_* bits the entry ends with (READONLY, HIDDEN, SYSTEM, ARCHIVE, NOT_CONTENT_INDEXED). */
  readonly attributes: number;
  /** End of file (files only; 0 otherwise). */
  readonly size: number;
  readonly time: TreeTime;
  readonly content?: TreeContent;
  /** For a junction or symbolic link: the absolute Win32 target, e.g. `C:\Users`. */
  readonly target?: string;
}

export interface ImageTreeSpec {
  /** `repository:tag` of the image the tree belongs to (for messages). */
  readonly image: string;
  readonly entries: readonly TreeNode[];
}

/** The fixed times, in ms since 1970, each TreeTime stands for. */
export interface TreeClock {
  readonly rtm: number;
  readonly build: number;
  readonly app: number;
}

export function treeClockFor(image: BaseImageSpec): TreeClock {
  const osLayers = image.history.filter((h) => h.foreign);
  const build = catalogTime(osLayers[osLayers.length - 1]!.created);
  return { rtm: catalogTime(image.release.rtmTime), build, app: catalogTime(image.created) };
}

const SETTABLE =
  FILE_ATTRIBUTE_READONLY | FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM | FILE_ATTRIBUTE_ARCHIVE | FILE_ATTRIBUTE_NOT_CONTENT_INDEXED;
const HS = FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM;
const A = FILE_ATTRIBUTE_ARCHIVE;

// ---------------------------------------------------------------------------
// Deterministic sizes and update choice
// ---------------------------------------------------------------------------

/** FNV-1a over the upcased name: a fixed number per name, the same on every run. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  const t = text.toUpperCase();
  for (let i = 0; i < t.length; i++) {
    h ^= t.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A size for a file with no known size: 16 KiB–640 KiB for libraries, 12–160 KiB otherwise, in 512-byte steps. */
function derivedSize(name: string): number {
  const lib = /\.(dll|sys)$/i.test(name);
  const min = lib ? 16 * 1024 : 12 * 1024;
  const span = lib ? 624 * 1024 : 148 * 1024;
  return min + Math.floor((hash(name) % span) / 512) * 512;
}

/** The size on `build`: within ±3% of the 2022 size, in 512-byte steps, deterministic. */
function sizeOnBuild(file: ListedFile, build: number): number {
  const base = file.size > 0 ? file.size : derivedSize(file.name);
  const permille = (hash(`${file.name}|${build}`) % 61) - 30; // −30 … +30 ‰
  return Math.max(512, Math.round((base * (1000 + permille)) / 1000 / 512) * 512);
}

/** Whether the month's update rewrote the file (about half of the system binaries). */
function updated(name: string, build: number): boolean {
  return hash(`upd|${name}|${build}`) % 2 === 0;
}

// ---------------------------------------------------------------------------
// Text contents (our own wording)
// ---------------------------------------------------------------------------

const CRLF = '\r\n';

/** Real License.txt sizes from recorded listings: Server Core 1809, Nano Server 2016. */
const LICENSE_SIZE = { servercore: 5510, nanoserver: 1894 } as const;

function licenseText(image: BaseImageSpec): string {
  const lines = [
    'CONTAINER OS IMAGE - NOTICE',
    '',
    `This file stands in for the supplemental license terms of the ${image.release.productNameServerCore.replace(' Datacenter', '')}`,
    `${image.flavor === 'nanoserver' ? 'Nano Server' : 'Server Core'} container image. It is part of an image synthesized by`,
    'winsilo, a simulator: no Microsoft software is included in it. The terms that',
    'apply to the real image are published by Microsoft with the image.',
    '',
  ];
  let text = lines.join(CRLF);
  // Pad with blank lines to the size the real file has, so that `dir` shows it.
  const size = LICENSE_SIZE[image.flavor];
  const missing = size - text.length;
  return text + CRLF.repeat(Math.floor(missing / 2)) + (missing % 2 === 1 ? ' ' : '');
}

const WIN_INI = ['; for 16-bit app support', '[fonts]', '[extensions]', '[mci extensions]', '[files]', '[Mail]', 'MAPI=1', ''].join(CRLF);
const SYSTEM_INI = ['; for 16-bit app support', '[386Enh]', 'woafont=dosapp.fon', 'EGA80WOA.FON=EGA80WOA.FON', 'EGA40WOA.FON=EGA40WOA.FON', 'CGA80WOA.FON=CGA80WOA.FON', 'CGA40WOA.FON=CGA40WOA.FON', '', '[drivers]', 'wave=mmdrv.dll', 'timer=timer.drv', '', '[mci]', ''].join(CRLF);

const HOSTS = [
  '# hosts: static host names for this container.',
  '#',
  '# One entry per line: an IP address, then one or more host names, separated',
  '# by spaces or tabs. A "#" starts a comment.',
  '#',
  '# localhost is resolved by the DNS client itself and needs no entry here:',
  '#\t127.0.0.1       localhost',
  '#\t::1             localhost',
  '',
].join(CRLF);

const NETWORKS = ['# networks: network names and numbers.', '#', '# <network name>  <network number>  [aliases...]  [#<comment>]', '', 'loopback                 127', 'campus                   284.122.107', 'london                   284.122.108', ''].join(CRLF);

const PROTOCOL = [
  '# protocol: Internet protocol numbers.',
  '#',
  '# <protocol name>  <assigned number>  [aliases...]   [#<comment>]',
  '',
  'ip       0     IP       # Internet protocol',
  'icmp     1     ICMP     # Internet control message protocol',
  'tcp      6     TCP      # Transmission control protocol',
  'udp      17    UDP      # User datagram protocol',
  'ipv6     41    IPv6     # Internet protocol version 6',
  'ipv6-icmp 58   IPv6-ICMP # ICMP for IPv6',
  '',
].join(CRLF);

const SERVICES_FILE = [
  '# services: well-known TCP and UDP port names.',
  '#',
  '# <service name>  <port number>/<protocol>  [aliases...]   [#<comment>]',
  '',
  'echo                7/tcp',
  'echo                7/udp',
  'ftp                21/tcp                           #FTP, control',
  'ssh                22/tcp                           #SSH Remote Login Protocol',
  'telnet             23/tcp',
  'smtp               25/tcp    mail                   #Simple Mail Transfer Protocol',
  'domain             53/tcp                           #Domain Name Server',
  'domain             53/udp                           #Domain Name Server',
  'http               80/tcp    www www-http           #World Wide Web',
  'kerberos           88/tcp    krb5 kerberos-sec      #Kerberos',
  'ntp               123/udp                           #Network Time Protocol',
  'epmap             135/tcp    loc-srv                #DCE endpoint resolution',
  'netbios-ns        137/udp    nbname                 #NETBIOS Name Service',
  'netbios-ssn       139/tcp    nbsession              #NETBIOS Session Service',
  'ldap              389/tcp                           #Lightweight Directory Access Protocol',
  'https             443/tcp    MCom                   #HTTP over TLS/SSL',
  'microsoft-ds      445/tcp',
  'ms-sql-s         1433/tcp                           #Microsoft-SQL-Server',
  'ms-wbt-server    3389/tcp                           #MS WBT Server',
  '',
].join(CRLF);

const DESKTOP_INI = (resource: number): string => ['', '[.ShellClassInfo]', `LocalizedResourceName=@%SystemRoot%\\system32\\shell32.dll,-${resource}`, ''].join(CRLF);

/** The IIS welcome page: our own markup; its title is what the seed scenario checks. */
export const IISSTART_HTM = [
  '<!DOCTYPE html>',
  '<html xmlns="http://www.w3.org/1999/xhtml">',
  '<head>',
  '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1" />',
  '<title>IIS Windows Server</title>',
  '<style type="text/css">',
  'body { margin: 0; background-color: #0072c6; color: #ffffff; font-family: "Segoe UI", Arial, sans-serif; }',
  '#page { width: 960px; margin: 60px auto; text-align: center; }',
  'a img { border: none; }',
  '</style>',
  '</head>',
  '<body>',
  '<div id="page">',
  '<a href="https://go.microsoft.com/fwlink/?linkid=66138&amp;clcid=0x409"><img src="iisstart.png" alt="IIS" width="960" height="600" /></a>',
  '</div>',
  '</body>',
  '</html>',
  '',
].join(CRLF);

export const APPLICATION_HOST_CONFIG = [
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<!-- IIS configuration: one site on port 80 serving C:\\inetpub\\wwwroot. -->',
  '<configuration>',
  '    <system.applicationHost>',
  '        <applicationPools>',
  '            <add name="DefaultAppPool" />',
  '            <applicationPoolDefaults managedRuntimeVersion="v4.0">',
  '                <processModel identityType="ApplicationPoolIdentity" />',
  '            </applicationPoolDefaults>',
  '        </applicationPools>',
  '        <sites>',
  '            <site name="Default Web Site" id="1">',
  '                <application path="/">',
  '                    <virtualDirectory path="/" physicalPath="%SystemDrive%\\inetpub\\wwwroot" />',
  '                </application>',
  '                <bindings>',
  '                    <binding protocol="http" bindingInformation="*:80:" />',
  '                </bindings>',
  '            </site>',
  '            <siteDefaults>',
  '                <logFile logFormat="W3C" directory="%SystemDrive%\\inetpub\\logs\\LogFiles" />',
  '            </siteDefaults>',
  '        </sites>',
  '    </system.applicationHost>',
  '    <system.webServer>',
  '        <defaultDocument enabled="true">',
  '            <files>',
  '                <add value="Default.htm" />',
  '                <add value="Default.asp" />',
  '                <add value="index.htm" />',
  '                <add value="index.html" />',
  '                <add value="iisstart.htm" />',
  '            </files>',
  '        </defaultDocument>',
  '    </system.webServer>',
  '</configuration>',
  '',
].join(CRLF);

/** A PowerShell module manifest of our own (enough for Get-Module -ListAvailable to name it). */
function moduleManifest(name: string): string {
  return ['@{', `    ModuleVersion = '1.0.0.0'`, `    GUID = '${guidFor(name)}'`, `    Author = 'winsilo'`, `    Description = '${name} (simulated)'`, '}', ''].join(CRLF);
}

function guidFor(text: string): string {
  const h = [hash(text), hash(`${text}#1`), hash(`${text}#2`), hash(`${text}#3`)].map((x) => x.toString(16).padStart(8, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

// ---------------------------------------------------------------------------
// Binary contents
// ---------------------------------------------------------------------------

const DOS_STUB = 'This program cannot be run in DOS mode.\r\r\n$';

/** 512 bytes: IMAGE_DOS_HEADER (e_magic "MZ", e_lfanew 0x80), a DOS stub message, "PE\0\0", the machine. */
function peHeader(machine: 'amd64' | 'i386'): Uint8Array {
  const b = new Uint8Array(512);
  b[0] = 0x4d; // M
  b[1] = 0x5a; // Z
  b[0x3c] = 0x80; // e_lfanew
  for (let i = 0; i < DOS_STUB.length; i++) b[0x4e + i] = DOS_STUB.charCodeAt(i);
  b.set([0x50, 0x45, 0, 0], 0x80); // "PE\0\0"
  const m = machine === 'amd64' ? 0x8664 : 0x014c;
  b[0x84] = m & 0xff;
  b[0x85] = m >> 8;
  return b;
}
export const PE_AMD64 = peHeader('amd64');
const PE_I386 = peHeader('i386');

const REGF = new Uint8Array([0x72, 0x65, 0x67, 0x66]);

/** A 1×1 PNG (IIS-blue pixel) with stored deflate blocks, so its bytes never depend on a zlib version. */
export function onePixelPng(): Uint8Array {
  const crcTable = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crcTable[n] = c >>> 0;
  }
  const crc = (bytes: number[]): number => {
    let c = 0xffffffff;
    for (const x of bytes) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const u32 = (v: number): number[] => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
  const chunk = (type: string, data: number[]): number[] => {
    const t = [...type].map((ch) => ch.charCodeAt(0));
    return [...u32(data.length), ...t, ...data, ...u32(crc([...t, ...data]))];
  };
  const raw = [0, 0x00, 0x72, 0xc6]; // filter byte, then RGB
  let a = 1;
  let s = 0;
  for (const x of raw) {
    a = (a + x) % 65521;
    s = (s + a) % 65521;
  }
  const zlib = [0x78, 0x01, 0x01, raw.length, 0, raw.length ^ 0xff, 0xff, ...raw, ...u32((s << 16) | a)];
  return new Uint8Array([
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a,
    ...chunk('IHDR', [...u32(1), ...u32(1), 8, 2, 0, 0, 0]),
    ...chunk('IDAT', zlib),
    ...chunk('IEND', []),
  ]);
}

// ---------------------------------------------------------------------------
// The tree
// ---------------------------------------------------------------------------

class TreeBuilder {
  readonly entries: TreeNode[] = [];
  private readonly seen = new Set<string>();

  dir(path: string, attributes = 0, time: TreeTime = 'build'): void {
    this.add({ path, type: 'directory', attributes, size: 0, time });
  }

  file(path: string, size: number, content: TreeContent, time: TreeTime, attributes = A): void {
    this.add({ path, type: 'file', attributes, size, time, content });
  }

  text(path: string, text: string, time: TreeTime, attributes = A): void {
    this.file(path, text.length, { kind: 'text', text }, time, attributes);
  }

  junction(path: string, target: string): void {
    this.add({ path, type: 'junction', attributes: HS, size: 0, time: 'build', target });
  }

  symlink(path: string, target: string): void {
    this.add({ path, type: 'symlink', attributes: HS, size: 0, time: 'build', target });
  }

  private add(node: TreeNode): void {
    const key = node.path.toUpperCase();
    if (this.seen.has(key)) throw new Error(`tree: duplicate entry ${node.path}`);
    const parent = node.path.slice(0, node.path.lastIndexOf('\\')) || '\\';
    if (node.path !== '\\' && parent !== '\\' && !this.seen.has(parent.toUpperCase())) throw new Error(`tree: ${node.path} before its parent`);
    this.seen.add(key);
    this.entries.push(node);
  }
}

function has(file: ListedFile, flag: string): boolean {
  return file.flags.includes(flag);
}

/** Programs and libraries of one folder: PE files, about half rewritten by the month's update. */
function binaries(t: TreeBuilder, folder: string, files: readonly ListedFile[], build: number, machine: 'amd64' | 'i386', time?: TreeTime): void {
  for (const f of files) {
    const when: TreeTime = time ?? (updated(f.name, build) ? 'build' : 'rtm');
    t.file(`${folder}\\${f.name}`, sizeOnBuild(f, build), { kind: 'pe', machine }, when);
  }
}

/** The language resources of programs: `en-US\<name>.mui`, small. */
function muis(t: TreeBuilder, folder: string, files: readonly ListedFile[], build: number): void {
  t.dir(`${folder}\\en-US`);
  for (const f of files) {
    if (!/\.(exe|com)$/i.test(f.name)) continue;
    const size = 2560 + (hash(`mui|${f.name}|${build}`) % 24) * 512;
    t.file(`${folder}\\en-US\\${f.name}.mui`, size, { kind: 'pe', machine: 'amd64' }, updated(f.name, build) ? 'build' : 'rtm');
  }
}

function profile(t: TreeBuilder, user: string): void {
  const root = `\\Users\\${user}`;
  t.dir(root);
  for (const f of parseList(PROFILE_FOLDERS)) {
    t.dir(`${root}\\${f.name}`, f.flags.includes('h') ? FILE_ATTRIBUTE_HIDDEN : 0);
  }
  for (const [name, target] of PROFILE_JUNCTIONS) t.junction(`${root}\\${name}`, `C:${root}\\${target}`);
  // The user's hive and its log, hidden as Windows keeps them.
  t.file(`${root}\\NTUSER.DAT`, 262144, { kind: 'hive' }, 'build', A | FILE_ATTRIBUTE_HIDDEN);
  t.file(`${root}\\ntuser.dat.LOG1`, 65536, { kind: 'zeros' }, 'build', A | HS);
  t.file(`${root}\\ntuser.dat.LOG2`, 0, { kind: 'zeros' }, 'build', A | HS);
  t.text(`${root}\\ntuser.ini`, ['[General]', 'UserProfile=' + user, ''].join(CRLF), 'build', A | HS);
}

/**
 * The tree of `image`, in creation order (parents first). Server Core: a
 * few thousand entries at most; Nano Server: a few hundred.
 */
export function imageTreeSpec(image: BaseImageSpec): ImageTreeSpec {
  const t = new TreeBuilder();
  const core = image.flavor === 'servercore';
  const build = image.release.build;
  const inNano = (f: ListedFile): boolean => core || has(f, 'n');

  const programs = parseList(SYSTEM32_PROGRAMS).filter(inNano);
  const libraries = parseList(SYSTEM32_LIBRARIES).filter(inNano);
  const sys32 = '\\Windows\\System32';

  // C:\ — what `dir C:\` shows, then the hidden entries.
  t.text('\\License.txt', licenseText(image), 'rtm');
  t.dir('\\Program Files', FILE_ATTRIBUTE_READONLY);
  t.dir('\\Program Files\\Common Files');
  t.dir('\\Program Files\\Common Files\\System');
  t.text('\\Program Files\\desktop.ini', DESKTOP_INI(21781), 'rtm', A | HS);
  t.dir('\\Program Files (x86)', FILE_ATTRIBUTE_READONLY);
  t.dir('\\Program Files (x86)\\Common Files');
  t.text('\\Program Files (x86)\\desktop.ini', DESKTOP_INI(21817), 'rtm', A | HS);
  if (core) {
    t.dir('\\Program Files\\WindowsPowerShell');
    t.dir('\\Program Files\\WindowsPowerShell\\Modules');
    for (const [name, version] of [['PackageManagement', '1.0.0.1'], ['PowerShellGet', '1.0.0.1']] as const) {
      t.dir(`\\Program Files\\WindowsPowerShell\\Modules\\${name}`);
      t.dir(`\\Program Files\\WindowsPowerShell\\Modules\\${name}\\${version}`);
      t.text(`\\Program Files\\WindowsPowerShell\\Modules\\${name}\\${version}\\${name}.psd1`, moduleManifest(name), 'rtm');
    }
    t.dir('\\Program Files (x86)\\WindowsPowerShell');
    t.dir('\\Program Files (x86)\\WindowsPowerShell\\Modules');
  }
  t.dir('\\ProgramData', FILE_ATTRIBUTE_HIDDEN);
  for (const d of ['Microsoft', 'Microsoft\\Crypto', 'Microsoft\\Crypto\\RSA', 'Microsoft\\Crypto\\RSA\\MachineKeys', 'Microsoft\\Network', 'Microsoft\\Windows', 'Microsoft\\Windows\\Start Menu', 'Microsoft\\Windows\\Start Menu\\Programs', 'Microsoft\\Windows\\Templates', 'regid.1991-06.com.microsoft']) {
    t.dir(`\\ProgramData\\${d}`);
  }
  t.junction('\\ProgramData\\Application Data', 'C:\\ProgramData');
  t.junction('\\ProgramData\\Desktop', 'C:\\Users\\Public\\Desktop');
  t.junction('\\ProgramData\\Documents', 'C:\\Users\\Public\\Documents');
  t.junction('\\ProgramData\\Start Menu', 'C:\\ProgramData\\Microsoft\\Windows\\Start Menu');
  t.junction('\\ProgramData\\Templates', 'C:\\ProgramData\\Microsoft\\Windows\\Templates');
  t.junction('\\Documents and Settings', 'C:\\Users');

  // C:\Users
  t.dir('\\Users', FILE_ATTRIBUTE_READONLY);
  t.text('\\Users\\desktop.ini', DESKTOP_INI(21813), 'rtm', A | HS);
  t.symlink('\\Users\\All Users', 'C:\\ProgramData');
  t.dir('\\Users\\Default', FILE_ATTRIBUTE_READONLY | FILE_ATTRIBUTE_HIDDEN);
  for (const f of parseList(PROFILE_FOLDERS)) t.dir(`\\Users\\Default\\${f.name}`, f.flags.includes('h') ? FILE_ATTRIBUTE_HIDDEN : 0);
  t.file('\\Users\\Default\\NTUSER.DAT', 262144, { kind: 'hive' }, 'rtm', A | FILE_ATTRIBUTE_HIDDEN);
  t.junction('\\Users\\Default User', 'C:\\Users\\Default');
  t.dir('\\Users\\Public', FILE_ATTRIBUTE_READONLY);
  t.text('\\Users\\Public\\desktop.ini', DESKTOP_INI(21816), 'rtm', A | HS);
  for (const d of ['Desktop', 'Documents', 'Downloads', 'Music', 'Pictures', 'Videos']) {
    t.dir(`\\Users\\Public\\${d}`, FILE_ATTRIBUTE_READONLY | (d === 'Desktop' ? FILE_ATTRIBUTE_HIDDEN : 0));
  }
  profile(t, image.defaultUser);

  // C:\Windows
  t.dir('\\Windows');
  for (const f of parseList(WINDOWS_FOLDERS)) if (inNano(f)) t.dir(`\\Windows\\${f.name}`);
  t.text('\\Windows\\win.ini', WIN_INI, 'rtm');
  if (core) {
    t.text('\\Windows\\system.ini', SYSTEM_INI, 'rtm');
    t.file('\\Windows\\regedit.exe', sizeOnBuild({ name: 'regedit.exe', size: 358400, flags: '' }, build), { kind: 'pe', machine: 'amd64' }, 'rtm');
    t.file('\\Windows\\notepad.exe', sizeOnBuild({ name: 'notepad.exe', size: 201216, flags: '' }, build), { kind: 'pe', machine: 'amd64' }, 'rtm');
    t.dir('\\Windows\\Microsoft.NET\\Framework64');
    t.dir('\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319');
    binaries(t, '\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319', parseList('clr.dll 10633216\nclrjit.dll 0\nmscorlib.dll 0\nmscoreei.dll 0\nngen.exe 0\nRegAsm.exe 0\nInstallUtil.exe 0\ncsc.exe 0'), build, 'amd64');
    t.dir('\\Windows\\Microsoft.NET\\Framework');
    t.dir('\\Windows\\Microsoft.NET\\Framework\\v4.0.30319');
  }
  t.dir('\\Windows\\WinSxS\\Manifests');
  t.dir('\\Windows\\WinSxS\\Temp');

  // C:\Windows\System32
  binaries(t, sys32, programs, build, 'amd64');
  binaries(t, sys32, libraries, build, 'amd64');
  muis(t, sys32, programs, build);
  t.dir(`${sys32}\\config`);
  for (const [hive, size] of [['DEFAULT', 262144], ['SAM', 65536], ['SECURITY', 65536], ['SOFTWARE', core ? 67108864 : 16777216], ['SYSTEM', core ? 12582912 : 6291456]] as const) {
    t.file(`${sys32}\\config\\${hive}`, size, { kind: 'hive' }, 'build', A);
  }
  t.dir(`${sys32}\\config\\RegBack`);
  t.dir(`${sys32}\\config\\systemprofile`);
  t.dir(`${sys32}\\config\\systemprofile\\AppData`, FILE_ATTRIBUTE_HIDDEN);
  t.dir(`${sys32}\\config\\systemprofile\\AppData\\Local`);
  t.dir(`${sys32}\\config\\systemprofile\\AppData\\Roaming`);
  t.dir(`${sys32}\\drivers`);
  binaries(t, `${sys32}\\drivers`, parseList(DRIVERS).filter(inNano), build, 'amd64');
  t.dir(`${sys32}\\drivers\\etc`);
  t.text(`${sys32}\\drivers\\etc\\hosts`, HOSTS, 'rtm');
  t.text(`${sys32}\\drivers\\etc\\networks`, NETWORKS, 'rtm');
  t.text(`${sys32}\\drivers\\etc\\protocol`, PROTOCOL, 'rtm');
  t.text(`${sys32}\\drivers\\etc\\services`, SERVICES_FILE, 'rtm');
  t.dir(`${sys32}\\LogFiles`);
  t.dir(`${sys32}\\Tasks`);
  if (core) {
    t.dir(`${sys32}\\wbem`);
    binaries(t, `${sys32}\\wbem`, parseList(WBEM), build, 'amd64');
    t.dir(`${sys32}\\wbem\\Repository`);
    t.dir(`${sys32}\\OpenSSH`);
    binaries(t, `${sys32}\\OpenSSH`, parseList(OPENSSH), build, 'amd64', 'rtm');
    const ps = `${sys32}\\WindowsPowerShell\\v1.0`;
    t.dir(`${sys32}\\WindowsPowerShell`);
    t.dir(ps);
    binaries(t, ps, parseList('powershell.exe 463872\npwrshplugin.dll 0\npwrshsip.dll 0'), build, 'amd64');
    t.text(`${ps}\\powershell.exe.config`, ['<configuration>', '  <startup useLegacyV2RuntimeActivationPolicy="true">', '    <supportedRuntime version="v4.0" />', '  </startup>', '</configuration>', ''].join(CRLF), 'rtm');
    t.dir(`${ps}\\Modules`);
    for (const m of POWERSHELL_MODULES) {
      t.dir(`${ps}\\Modules\\${m}`);
      t.text(`${ps}\\Modules\\${m}\\${m}.psd1`, moduleManifest(m), 'rtm');
    }
    // SysWOW64: the 32-bit copies.
    const wow = '\\Windows\\SysWOW64';
    t.dir(wow);
    const wowFiles = [...programs, ...libraries].filter((f) => has(f, 'w'));
    binaries(t, wow, wowFiles.map((f) => ({ ...f, size: Math.round((f.size > 0 ? f.size : derivedSize(f.name)) * 0.8) })), build, 'i386');
    t.dir(`${wow}\\WindowsPowerShell`);
    t.dir(`${wow}\\WindowsPowerShell\\v1.0`);
    binaries(t, `${wow}\\WindowsPowerShell\\v1.0`, parseList('powershell.exe 448512'), build, 'i386');
  }

  if (image.variant === 'iis') iisTree(t, build);
  return { image: `${image.repository}:${image.tags[0]}`, entries: t.entries };
}

/** What `Add-WindowsFeature Web-Server` and the ServiceMonitor download add. */
function iisTree(t: TreeBuilder, build: number): void {
  // DECIDED: ServiceMonitor.exe v2.0.1.10's size (not found).
  t.file('\\ServiceMonitor.exe', 193024, { kind: 'pe', machine: 'amd64' }, 'app');
  t.dir('\\inetpub', 0, 'app');
  for (const d of ['custerr', 'custerr\\en-US', 'history', 'logs', 'logs\\LogFiles', 'temp', 'temp\\appPools', 'temp\\IIS Temporary Compressed Files', 'wwwroot']) {
    t.dir(`\\inetpub\\${d}`, 0, 'app');
  }
  // IIS 10's pages, byte for byte (src/net/iis/custerr.ts); the site serves these files.
  for (const code of CUSTERR_STATUSES) t.text(`\\inetpub\\custerr\\en-US\\${code}.htm`, customErrorPage(code)!, 'app');
  t.text('\\inetpub\\wwwroot\\iisstart.htm', IISSTART_HTM, 'app');
  const png = onePixelPng();
  // DECIDED: the real iisstart.png's size (not found); our picture is a 1×1 PNG padded with zeros after IEND.
  t.file('\\inetpub\\wwwroot\\iisstart.png', 99710, { kind: 'bytes', bytes: png }, 'app');
  const inetsrv = '\\Windows\\System32\\inetsrv';
  t.dir(inetsrv, 0, 'app');
  binaries(t, inetsrv, parseList(INETSRV), build, 'amd64', 'app');
  t.dir(`${inetsrv}\\config`, 0, 'app');
  t.text(`${inetsrv}\\config\\applicationHost.config`, APPLICATION_HOST_CONFIG, 'app');
  t.dir(`${inetsrv}\\config\\schema`, 0, 'app');
  t.dir(`${inetsrv}\\en-US`, 0, 'app');
}

// ---------------------------------------------------------------------------
// The generator
// ---------------------------------------------------------------------------

export interface PopulateStats {
  readonly directories: number;
  readonly files: number;
  readonly reparsePoints: number;
  /** Bytes written through FileHandle.write (headers and texts). */
  readonly bytesWritten: number;
  /** Sum of the files' sizes (what `dir /s` would total). */
  readonly logicalBytes: number;
}

const TEXT = new TextEncoder();

function contentBytes(content: TreeContent | undefined): Uint8Array | undefined {
  if (!content) return undefined;
  switch (content.kind) {
    case 'pe':
      return content.machine === 'amd64' ? PE_AMD64 : PE_I386;
    case 'text':
      return TEXT.encode(content.text);
    case 'bytes':
      return content.bytes;
    case 'hive':
      return REGF;
    case 'zeros':
      return undefined;
  }
}

/**
 * Writes `spec` onto `volume` (an empty, writable volume) in a fixed order:
 * first every directory, file and reparse point in spec order (parents
 * first), then attributes and times in the same order — times last, since
 * creating an entry changes its parent directory's times. Each file is
 * created with disposition 'create', its bytes written at 0, extended to
 * its size with setSize, closed. Junctions are IO_REPARSE_TAG_MOUNT_POINT
 * with `\??\` substitute names; symbolic links IO_REPARSE_TAG_SYMLINK,
 * absolute. Errors are the volume's (Win32Error), unchanged.
 */
export function populateImageTree(volume: Volume, spec: ImageTreeSpec, clock: TreeClock): PopulateStats {
  let directories = 0;
  let files = 0;
  let reparsePoints = 0;
  let bytesWritten = 0;
  let logicalBytes = 0;
  for (const e of spec.entries) {
    switch (e.type) {
      case 'directory':
        if (e.path !== '\\') volume.createDirectory(e.path);
        directories++;
        break;
      case 'file': {
        const h = volume.open(e.path, { disposition: 'create', write: true, nonDirectory: true });
        try {
          const bytes = contentBytes(e.content);
          if (bytes && bytes.length > 0) bytesWritten += h.write(0, bytes.length > e.size ? bytes.subarray(0, e.size) : bytes);
          if (e.size > (bytes?.length ?? 0)) h.setSize(e.size);
        } finally {
          h.close();
        }
        files++;
        logicalBytes += e.size;
        break;
      }
      case 'junction':
      case 'symlink': {
        const target = e.target!;
        volume.createReparsePoint(
          e.path,
          {
            tag: e.type === 'junction' ? IO_REPARSE_TAG_MOUNT_POINT : IO_REPARSE_TAG_SYMLINK,
            substituteName: `\\??\\${target}`,
            printName: target,
            relative: false,
          },
          true,
        );
        reparsePoints++;
        break;
      }
    }
  }
  for (const e of spec.entries) {
    if (e.path === '\\') continue;
    const plain = e.type === 'file' ? FILE_ATTRIBUTE_ARCHIVE : 0;
    const attrs = e.attributes & SETTABLE;
    if (attrs !== plain) volume.setAttributes(e.path, attrs === 0 ? FILE_ATTRIBUTE_NORMAL : attrs);
    const t = clock[e.time];
    volume.setTimes(e.path, { creationTime: t, lastWriteTime: t, lastAccessTime: t });
  }
  return { directories, files, reparsePoints, bytesWritten, logicalBytes };
}
