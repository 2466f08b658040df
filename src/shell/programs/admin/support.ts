/**
 * What the administration programs do, command by command: the support
 * matrix (house style §7) the README's tables come from.
 */
export type Support = 'supported' | 'partial' | 'unsupported';

export interface SupportEntry {
  readonly support: Support;
  readonly note?: string;
}

export const ADMIN_SUPPORT: ReadonlyMap<string, SupportEntry> = new Map<string, SupportEntry>([
  ['reg query', { support: 'supported', note: '/v /ve /s /f /k /d /c /e /t /z /se; /reg:32|64 accepted, one registry view' }],
  ['reg add', { support: 'partial', note: 'REG_LINK and REG_FULL_RESOURCE_DESCRIPTOR types not taken' }],
  ['reg delete', { support: 'supported' }],
  ['reg copy', { support: 'supported', note: 'no remote machines' }],
  ['reg export', { support: 'supported' }],
  ['reg import', { support: 'partial', note: 'types other than REG_NONE…REG_QWORD kept as REG_BINARY' }],
  ['reg save|restore|load|unload|compare|flags', { support: 'unsupported', note: '"ERROR: The request is not supported."' }],
  ['sc query|queryex', { support: 'supported', note: 'type= state= group=; bufsize= and ri= accepted and ignored' }],
  ['sc start|stop|pause|continue|interrogate', { support: 'supported', note: 'state changes at once: RUNNING/STOPPED, never *_PENDING' }],
  ['sc qc|config|description|qdescription', { support: 'supported', note: 'password= and tag= accepted, not kept' }],
  ['sc create|delete|GetDisplayName|GetKeyName', { support: 'supported' }],
  ['sc failure|sidtype|privs|sdshow|sdset|triggerinfo|…', { support: 'unsupported', note: 'prints the usage' }],
  ['net start|stop|pause|continue', { support: 'supported' }],
  ['net user', { support: 'partial', note: 'list, one account, /add, /delete; account details are defaults (the SAM hive names accounts only); passwords not kept; other options ignored' }],
  ['net localgroup', { support: 'partial', note: 'list, one group, /add, /delete of local accounts; default members decided (the image hive has none); some comments empty' }],
  ['net helpmsg', { support: 'partial', note: 'the NERR codes net prints here, and Win32 codes' }],
  ['net (other subcommands)', { support: 'unsupported', note: 'prints the syntax, exit 1' }],
]);
