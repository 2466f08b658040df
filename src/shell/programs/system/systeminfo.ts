/**
 * systeminfo.exe: the machine as the container sees it. The OS fields come
 * from the container's registry (HKLM\SOFTWARE\Microsoft\Windows NT\
 * CurrentVersion: ProductName, CurrentBuild, CurrentType, InstallDate,
 * RegisteredOwner …; Control\ComputerName), as systeminfo reads them through
 * WMI; the hardware and boot time are the host's (a process-isolated
 * container shares the host's kernel, firmware and clock), the locale the
 * image's.
 *
 * LIST layout: `Label:` padded to column 27, continuation lines of the
 * multi-valued fields (processors, hotfixes, network cards) indented to the
 * value column. /FO CSV and TABLE put one record on a line; /NH drops
 * their header.
 *
 * DECIDED (not in the registry of an image, no container recording found):
 * the hardware figures (manufacturer, model, BIOS, clock speed, memory)
 * describe a Hyper-V VM as container hosts usually are; time zone UTC
 * (the host's); Registered Owner/Organization and Product ID `N/A` when
 * the image has no value; Page File Location(s), Logon Server and
 * Hotfix(s) `N/A`; no Virtualization-based security block.
 */
import type { ProcessContext } from '../../../kernel/process/context.js';
import { computerName, containerAdapter, CURRENT_VERSION, regDword, regString } from './machine.js';
import { parseSwitches, SwitchError } from './switches.js';
import { CRLF, lines, padRight } from './text.js';

const LABEL_WIDTH = 27;
const USAGE_HINT = 'Type "SYSTEMINFO /?" for usage.';

/** The host hardware a container reports (DECIDED, see above). */
const HOST_HARDWARE = {
  manufacturer: 'Microsoft Corporation',
  model: 'Virtual Machine',
  bios: 'Microsoft Corporation Hyper-V UEFI Release v4.1, 5/13/2020',
  mhz: 2594,
  totalMb: 16383,
  availableMb: 13012,
  virtualMaxMb: 18815,
  virtualAvailableMb: 15224,
} as const;


/** en-US short date and long time: `11/23/2026, 12:00:00 PM` (UTC). */
export function usDateTime(ms: number): string {
  const d = new Date(ms);
  const h = d.getUTCHours();
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()}, ${h % 12 === 0 ? 12 : h % 12}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

const thousandsMb = (n: number) => `${n.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')} MB`;

/** The fields in systeminfo's order: label and one or more values. */
function fields(ctx: ProcessContext): [string, string[]][] {
  const product = regString(ctx, CURRENT_VERSION, 'ProductName') ?? 'Windows Server 2022 Datacenter';
  const build = regString(ctx, CURRENT_VERSION, 'CurrentBuild') ?? regString(ctx, CURRENT_VERSION, 'CurrentBuildNumber') ?? '20348';
  const major = regDword(ctx, CURRENT_VERSION, 'CurrentMajorVersionNumber') ?? 10;
  const minor = regDword(ctx, CURRENT_VERSION, 'CurrentMinorVersionNumber') ?? 0;
  const installed = regDword(ctx, CURRENT_VERSION, 'InstallDate');
  const system = ctx.processes().find((p) => p.pid === 4);
  const cpu = (ctx.env.get('PROCESSOR_IDENTIFIER') ?? 'Intel64 Family 6 Model 85 Stepping 7, GenuineIntel').replace(',', '');
  const a = containerAdapter(ctx);
  const windir = ctx.env.get('SystemRoot') ?? 'C:\\Windows';
  return [
    ['Host Name', [computerName(ctx)]],
    ['OS Name', [`Microsoft ${product}`]],
    ['OS Version', [`${major}.${minor}.${build} N/A Build ${build}`]],
    ['OS Manufacturer', ['Microsoft Corporation']],
    ['OS Configuration', ['Standalone Server']],
    ['OS Build Type', [regString(ctx, CURRENT_VERSION, 'CurrentType') ?? 'Multiprocessor Free']],
    ['Registered Owner', [regString(ctx, CURRENT_VERSION, 'RegisteredOwner') || 'N/A']],
    ['Registered Organization', [regString(ctx, CURRENT_VERSION, 'RegisteredOrganization') || 'N/A']],
    ['Product ID', [regString(ctx, CURRENT_VERSION, 'ProductId') || 'N/A']],
    ['Original Install Date', [installed !== undefined ? usDateTime(installed * 1000) : 'N/A']],
    ['System Boot Time', [usDateTime(system?.creationTime ?? ctx.now())]],
    ['System Manufacturer', [HOST_HARDWARE.manufacturer]],
    ['System Model', [HOST_HARDWARE.model]],
    ['System Type', ['x64-based PC']],
    ['Processor(s)', ['1 Processor(s) Installed.', `[01]: ${cpu} ~${HOST_HARDWARE.mhz} Mhz`]],
    ['BIOS Version', [HOST_HARDWARE.bios]],
    ['Windows Directory', [windir]],
    ['System Directory', [`${windir}\\system32`]],
    ['Boot Device', ['\\Device\\HarddiskVolume1']],
    ['System Locale', ['en-us;English (United States)']],
    ['Input Locale', ['en-us;English (United States)']],
    ['Time Zone', ['(UTC) Coordinated Universal Time']],
    ['Total Physical Memory', [thousandsMb(HOST_HARDWARE.totalMb)]],
    ['Available Physical Memory', [thousandsMb(HOST_HARDWARE.availableMb)]],
    ['Virtual Memory: Max Size', [thousandsMb(HOST_HARDWARE.virtualMaxMb)]],
    ['Virtual Memory: Available', [thousandsMb(HOST_HARDWARE.virtualAvailableMb)]],
    ['Virtual Memory: In Use', [thousandsMb(HOST_HARDWARE.virtualMaxMb - HOST_HARDWARE.virtualAvailableMb)]],
    ['Page File Location(s)', ['N/A']],
    ['Domain', ['WORKGROUP']],
    ['Logon Server', ['N/A']],
    ['Hotfix(s)', ['N/A']],
    [
      'Network Card(s)',
      [
        '1 NIC(s) Installed.',
        `[01]: ${a.description}`,
        `      Connection Name: ${a.connectionName}`,
        '      DHCP Enabled:    No',
        '      IP address(es)',
        `      [01]: ${a.ipv4}`,
        `      [02]: ${a.linkLocal.replace(/%\d+$/, '')}`,
      ],
    ],
    ['Hyper-V Requirements', ['A hypervisor has been detected. Features required for Hyper-V will not be displayed.']],
  ];
}

export async function systeminfoMain(ctx: ProcessContext): Promise<number> {
  const parsed = parseSwitches(ctx.argv.slice(1), [
    { name: 'S', takesValue: true },
    { name: 'U', takesValue: true },
    { name: 'P', takesValue: true },
    { name: 'FO', takesValue: true },
    { name: 'NH', takesValue: false },
  ]);
  const fail = async (m: string, hint = true) => {
    await ctx.stderr.write(hint ? lines(m, USAGE_HINT) : lines(m));
    return 1;
  };
  if (parsed instanceof SwitchError) return fail(parsed.message);
  if (parsed.help) {
    await ctx.stdout.write(
      lines(
        '',
        'SYSTEMINFO [/S system [/U username [/P [password]]]] [/FO format] [/NH]',
        '',
        'Description:',
        '    This tool displays operating system configuration information for',
        '    a local or remote machine, including service pack levels.',
        '',
      ),
    );
    return 0;
  }
  const v = parsed.values;
  if (v.has('S')) return fail('ERROR: The RPC server is unavailable.', false);
  const format = (v.get('FO')?.[0] ?? 'LIST').toUpperCase();
  if (format !== 'TABLE' && format !== 'LIST' && format !== 'CSV') return fail(`ERROR: Invalid value '${v.get('FO')![0]}' has been specified for the option '/FO'.`);
  const noHeader = v.has('NH');
  if (noHeader && format === 'LIST') return fail('ERROR: /NH option is valid only for TABLE and CSV formats.');
  const f = fields(ctx);
  let out = '';
  if (format === 'LIST') {
    out = CRLF;
    for (const [label, values] of f) {
      out += padRight(`${label}:`, LABEL_WIDTH) + values[0] + CRLF;
      for (const more of values.slice(1)) out += ' '.repeat(LABEL_WIDTH) + more + CRLF;
    }
  } else if (format === 'CSV') {
    const q = (s: string) => `"${s}"`;
    if (!noHeader) out += f.map(([l]) => q(l)).join(',') + CRLF;
    out += f.map(([, vals]) => q(vals.map((x) => x.trim()).join(','))).join(',') + CRLF;
  } else {
    const cells = f.map(([l, vals]) => [l, vals.map((x) => x.trim()).join(',')] as const);
    const widths = cells.map(([l, val]) => Math.max(l.length, val.length));
    out = CRLF;
    if (!noHeader) out += cells.map(([l], i) => padRight(l, widths[i]!)).join(' ') + CRLF + widths.map((w) => '='.repeat(w)).join(' ') + CRLF;
    out += cells.map(([, val], i) => padRight(val, widths[i]!)).join(' ') + CRLF;
  }
  await ctx.stdout.write(out);
  return 0;
}
