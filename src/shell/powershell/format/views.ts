/**
 * Default views: how Windows PowerShell 5.1's format files
 * (DotNetTypes.format.ps1xml, FileSystem.format.ps1xml,
 * Registry.format.ps1xml, the ServerManager module's) show the types
 * winsilo's cmdlets return. Column labels, widths and alignments are the
 * format files'; objects without a view get the default rule: a table when
 * they have at most four properties, a list otherwise (about_Format.ps1xml).
 */
import { recordOf } from '../runtime/errors.js';
import { isEnumValue, PSDateTime, PSHashtable, PSObject, numberToString, shortDate, shortTime, toStr } from '../runtime/values.js';

export interface Column {
  readonly label: string;
  /** Declared width; undefined: sized to the data. */
  readonly width?: number;
  readonly align: 'left' | 'right';
  value(o: unknown): string;
}

export type View =
  | { kind: 'table'; key: string; columns: Column[]; group?: { label: string; of(o: unknown): string } }
  | { kind: 'list'; key: string; entries(o: unknown): [string, string][] }
  | { kind: 'text'; key: string; text(o: unknown): string };

/** $FormatEnumerationLimit: collections in a cell show their first four items. */
const ENUMERATION_LIMIT = 4;

/** A property value as a table cell or list entry shows it. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) {
    const shown = v.slice(0, ENUMERATION_LIMIT).map(cellText);
    return '{' + shown.join(', ') + (v.length > ENUMERATION_LIMIT ? '...' : '') + '}';
  }
  if (typeof v === 'number') return numberToString(v);
  if (v instanceof PSDateTime) return v.toString();
  return toStr(v);
}

const prop = (name: string) => (o: unknown) => cellText(o instanceof PSObject ? o.get(name) : null);
const col = (label: string, width: number | undefined, align: 'left' | 'right', value: (o: unknown) => string): Column => ({ label, width, align, value });

const get = (o: unknown, name: string): unknown => (o instanceof PSObject ? o.get(name) : null);

const FILESYSTEM: View = {
  kind: 'table',
  key: 'filesystem',
  group: { label: '    Directory: ', of: (o) => toStr(get(o, 'PSParentPath')).replace(/^Microsoft\.PowerShell\.Core\\FileSystem::/, '') },
  columns: [
    // DECIDED: the brief's 5.1 header puts 17 spaces between Mode and LastWriteTime; the row's LastWriteTime is "{0,10}  {1,8}" (date, two spaces, time) right-aligned.
    col('Mode', 7, 'left', prop('Mode')),
    col('LastWriteTime', 26, 'right', (o) => {
      const t = get(o, 'LastWriteTime');
      if (!(t instanceof PSDateTime)) return '';
      return `${shortDate(t.ms).padStart(10)}  ${shortTime(t.ms).padStart(8)}`;
    }),
    col('Length', 14, 'right', (o) => (toStr(get(o, 'Mode')).startsWith('d') ? '' : cellText(get(o, 'Length')))),
    col('Name', undefined, 'left', prop('Name')),
  ],
};

const PROCESS: View = {
  kind: 'table',
  key: 'process',
  columns: [
    col('Handles', 7, 'right', prop('Handles')),
    col('NPM(K)', 7, 'right', (o) => String(Math.floor(Number(get(o, 'NPM') ?? 0) / 1024))),
    col('PM(K)', 8, 'right', (o) => String(Math.floor(Number(get(o, 'PM') ?? 0) / 1024))),
    col('WS(K)', 10, 'right', (o) => String(Math.floor(Number(get(o, 'WS') ?? 0) / 1024))),
    col('CPU(s)', 10, 'right', (o) => {
      const c = get(o, 'CPU');
      return typeof c === 'number' ? c.toFixed(2) : '';
    }),
    col('Id', 6, 'right', prop('Id')),
    col('SI', 3, 'right', prop('SessionId')),
    col('ProcessName', undefined, 'left', prop('ProcessName')),
  ],
};

const SERVICE: View = {
  kind: 'table',
  key: 'service',
  columns: [col('Status', 8, 'left', prop('Status')), col('Name', 18, 'left', prop('Name')), col('DisplayName', 38, 'left', prop('DisplayName'))],
};

const PATHINFO: View = { kind: 'table', key: 'pathinfo', columns: [col('Path', undefined, 'left', prop('Path'))] };

const DICTIONARY: View = {
  kind: 'table',
  key: 'dictionary',
  columns: [col('Name', 30, 'left', prop('Name')), col('Value', undefined, 'left', prop('Value'))],
};

const REGISTRY: View = {
  kind: 'table',
  key: 'registry',
  group: { label: '    Hive: ', of: (o) => toStr(get(o, 'PSParentPath')).replace(/^Microsoft\.PowerShell\.Core\\Registry::/, '') },
  columns: [
    col('Name', 30, 'left', prop('PSChildName')),
    col('Property', undefined, 'left', (o) => {
      const lines = get(o, 'PropertyLines');
      return Array.isArray(lines) ? lines.map(toStr).join('\n') : '';
    }),
  ],
};

const FEATURE: View = {
  kind: 'table',
  key: 'feature',
  columns: [
    col('Display Name', 55, 'left', (o) => `${'    '.repeat(Number(get(o, 'Depth') ?? 1) - 1)}[${get(o, 'Installed') ? 'X' : ' '}] ${toStr(get(o, 'DisplayName'))}`),
    col('Name', 26, 'left', prop('Name')),
    col('Install State', 13, 'right', prop('InstallState')),
  ],
};

const FEATURE_RESULT: View = {
  kind: 'table',
  key: 'featureresult',
  columns: [
    col('Success', 7, 'left', prop('Success')),
    col('Restart Needed', 14, 'left', prop('RestartNeeded')),
    col('Exit Code', 14, 'left', prop('ExitCode')),
    col('Feature Result', undefined, 'left', prop('FeatureResult')),
  ],
};

const TYPE: View = {
  kind: 'table',
  key: 'type',
  columns: [col('IsPublic', 8, 'left', prop('IsPublic')), col('IsSerial', 8, 'left', prop('IsSerial')), col('Name', 40, 'left', prop('Name')), col('BaseType', undefined, 'left', prop('BaseType'))],
};

const COMMAND: View = {
  kind: 'table',
  key: 'command',
  columns: [col('CommandType', 15, 'left', prop('CommandType')), col('Name', 50, 'left', prop('Name')), col('Version', 10, 'left', prop('Version')), col('Source', undefined, 'left', prop('Source'))],
};

const VERSION: View = {
  kind: 'table',
  key: 'version',
  columns: [col('Major', 6, 'left', prop('Major')), col('Minor', 6, 'left', prop('Minor')), col('Build', 6, 'left', prop('Build')), col('Revision', undefined, 'left', prop('Revision'))],
};

/**
 * Invoke-WebRequest's response objects: every property in list form, the
 * Headers dictionary as its KeyValuePairs (`{[Server, Microsoft-IIS/10.0],
 * ...}`, first four) and Content cut after 200 characters with `...` (as 5.1
 * shows iisstart.htm's Content). DECIDED: RawContent is shown whole (no
 * source settled whether 5.1 cuts it).
 */
const WEB_RESPONSE: View = {
  kind: 'list',
  key: 'webresponse',
  entries: (o) =>
    (o instanceof PSObject ? o.names() : []).map((n): [string, string] => {
      const v = get(o, n);
      if (n === 'Headers' && v instanceof PSHashtable) {
        const pairs = v.entries().map((e) => `[${toStr(e.key)}, ${toStr(e.value)}]`);
        return [n, '{' + pairs.slice(0, ENUMERATION_LIMIT).join(', ') + (pairs.length > ENUMERATION_LIMIT ? '...' : '') + '}'];
      }
      if (n === 'Content' && typeof v === 'string' && v.length > 200) return [n, v.slice(0, 200) + '...'];
      return [n, cellText(v)];
    }),
};

const VIEWS: Record<string, View> = {
  'Microsoft.PowerShell.Commands.WebResponseObject': WEB_RESPONSE,
  'System.Version': VERSION,
  'System.Management.Automation.CommandInfo': COMMAND,
  'Microsoft.Dism.Commands.ImageObject': { kind: 'list', key: 'dism', entries: (o) => ['Path', 'Online', 'RestartNeeded'].map((n): [string, string] => [n, cellText(get(o, n))]) },
  'Microsoft.PowerShell.Commands.MatchInfo': { kind: 'text', key: 'matchinfo', text: (o) => toStr(o) },
  'System.IO.FileInfo': FILESYSTEM,
  'System.IO.DirectoryInfo': FILESYSTEM,
  'System.Diagnostics.Process': PROCESS,
  'System.ServiceProcess.ServiceController': SERVICE,
  'System.Management.Automation.PathInfo': PATHINFO,
  'System.Collections.DictionaryEntry': DICTIONARY,
  'System.Management.Automation.PSVariable': DICTIONARY,
  'Microsoft.Win32.RegistryKey': REGISTRY,
  'Microsoft.Windows.ServerManager.Commands.Feature': FEATURE,
  'Microsoft.Windows.ServerManager.Commands.FeatureOperationResult': FEATURE_RESULT,
  'System.RuntimeType': TYPE,
};

/** The view Out-Default uses for a value that is not a plain scalar. */
export function viewFor(v: unknown): View {
  if (v instanceof PSHashtable) return DICTIONARY;
  if (v instanceof PSObject) {
    const rec = recordOf(v);
    if (rec) return { kind: 'text', key: 'error', text: () => '' };
    for (const t of v.typeNames) {
      const view = VIEWS[t];
      if (view) return view;
    }
    const names = v.names().filter((n) => !n.startsWith('PS') || v.typeName === 'System.Management.Automation.PSCustomObject');
    const shown = v.typeName === 'System.Management.Automation.PSCustomObject' ? v.names() : names;
    if (shown.length === 0) return { kind: 'text', key: 'empty', text: (o) => toStr(o) };
    if (shown.length <= 4) {
      return {
        kind: 'table',
        key: 'auto:' + v.typeName + ':' + shown.join('\u0000').toLowerCase(),
        // Numbers and enums (value types) stand right-aligned in a generated table, as 5.1 lays them out.
        columns: shown.map((n) => ({ label: n, align: typeof v.get(n) === 'number' || isEnumValue(v.get(n)) ? ('right' as const) : ('left' as const), value: prop(n) })),
      };
    }
    return { kind: 'list', key: 'list', entries: (o) => (o instanceof PSObject ? shown.map((n): [string, string] => [n, cellText(o.get(n))]) : []) };
  }
  return { kind: 'text', key: 'text', text: (o) => toStr(o) };
}

/** Format-List's entries for any object: every property. */
export function listEntries(o: unknown, properties?: string[]): [string, string][] {
  if (o instanceof PSHashtable) return o.entries().flatMap((e): [string, string][] => [['Name', toStr(e.key)], ['Value', cellText(e.value)]]);
  if (!(o instanceof PSObject)) return [['', toStr(o)]];
  const names = properties ?? o.names().filter((n) => !/^PS(Path|ParentPath|ChildName|Drive|Provider|IsContainer)$/.test(n) || o.typeName === 'System.Management.Automation.PSCustomObject' || properties !== undefined);
  return names.map((n) => [o.props.get(n.toLowerCase())?.name ?? n, cellText(o.get(n))]);
}
