/**
 * ipconfig.exe: the container's IP configuration — one adapter per network
 * the container is attached to (src/net through ctx.net; machine.ts's
 * stand-in for a silo with no network attached), none with `--network none`.
 *
 * Layout as ipconfig prints it: a blank line, `Windows IP Configuration`,
 * then per adapter `Ethernet adapter NAME:` and its lines, each label
 * padded with ` .` pairs to column 36 then `: value` (an empty value keeps
 * the space after the colon). /all adds the host block and the adapter's
 * description, MAC, DHCP, DNS and NetBIOS lines; (Preferred) marks the
 * addresses in use. /release, /renew: no DHCP adapter in a container
 * (static NAT address). /flushdns, /displaydns, /registerdns: the DNS
 * Client cache answers.
 *
 * DECIDED: no DHCPv6 IAID/DUID lines, `Node Type: Hybrid`, NetBIOS over
 * Tcpip Disabled; texts of /release and /renew.
 */
import type { ProcessContext } from '../../../kernel/process/context.js';
import { containerAdapters, hostName, type Adapter } from './machine.js';
import { lines } from './text.js';

/**
 * `   Label . . . . . . : value`: after the label, dots on odd columns and
 * spaces on even ones up to column 35, then ` : value`. A few labels carry
 * their own spacing in ipconfig's resources (`Connection-specific DNS
 * Suffix  .`, `Primary Dns Suffix  .`) and are passed as such.
 */
export function dotted(label: string, value: string): string {
  let s = `   ${label}`;
  while (s.length < 36) s += (s.length & 1) === 1 ? '.' : ' ';
  return `${s} : ${value}`;
}

function adapterLines(a: Adapter, all: boolean): string[] {
  const out = [`Ethernet adapter ${a.connectionName}:`, ''];
  out.push(dotted('Connection-specific DNS Suffix  .', ''));
  if (all) {
    out.push(dotted('Description', a.description), dotted('Physical Address', a.mac), dotted('DHCP Enabled', 'No'), dotted('Autoconfiguration Enabled', 'Yes'));
    out.push(dotted('Link-local IPv6 Address', `${a.linkLocal}(Preferred) `));
    out.push(dotted('IPv4 Address', `${a.ipv4}(Preferred) `));
  } else {
    out.push(dotted('Link-local IPv6 Address', a.linkLocal), dotted('IPv4 Address', a.ipv4));
  }
  out.push(dotted('Subnet Mask', a.subnetMask), dotted('Default Gateway', a.gateway));
  if (all) {
    out.push(dotted('DNS Servers', a.dnsServers[0] ?? ''));
    for (const d of a.dnsServers.slice(1)) out.push(`${' '.repeat(39)}${d}`);
    out.push(dotted('NetBIOS over Tcpip', 'Disabled'));
  }
  return out;
}

export async function ipconfigMain(ctx: ProcessContext): Promise<number> {
  const args = ctx.argv.slice(1).map((a) => a.toLowerCase().replace(/^-/, '/'));
  const adapters = containerAdapters(ctx);
  const each = (all: boolean) => adapters.flatMap((a, i) => [...(i > 0 ? [''] : []), ...adapterLines(a, all)]);
  const head = ['', 'Windows IP Configuration', ''];
  const opt = args[0];
  if (opt === undefined) {
    await ctx.stdout.write(lines(...head, ...(adapters.length > 0 ? ['', ...each(false)] : [])));
    return 0;
  }
  if (opt === '/all' || opt === '/allcompartments') {
    const host = [
      dotted('Host Name', hostName(ctx)),
      dotted('Primary Dns Suffix  .', ''),
      dotted('Node Type', 'Hybrid'),
      dotted('IP Routing Enabled', 'No'),
      dotted('WINS Proxy Enabled', 'No'),
    ];
    // `--dns-search` (HCS's DNSSearchList): the global suffix search list, continuation lines under the first value.
    const search = ctx.net?.adapters()[0]?.dnsSuffixSearchList ?? [];
    if (search.length > 0) host.push(dotted('DNS Suffix Search List', search[0]!), ...search.slice(1).map((d) => `${' '.repeat(39)}${d}`));
    await ctx.stdout.write(lines(...head, ...host, ...(adapters.length > 0 ? ['', ...each(true)] : [])));
    return 0;
  }
  if (opt === '/flushdns') {
    await ctx.stdout.write(lines(...head, 'Successfully flushed the DNS Resolver Cache.'));
    return 0;
  }
  if (opt === '/registerdns') {
    await ctx.stdout.write(
      lines(...head, 'Registration of the DNS resource records for all adapters of this computer has been initiated. Any errors will be reported in the Event Viewer in 15 minutes.'),
    );
    return 0;
  }
  if (opt === '/displaydns') {
    await ctx.stdout.write(lines(...head, ''));
    return 0;
  }
  if (opt === '/release' || opt === '/renew' || opt === '/release6' || opt === '/renew6') {
    await ctx.stdout.write(lines(...head, `The operation failed as no adapter is in the state permissible for`, 'this operation.'));
    return 1;
  }
  if (opt === '/?') {
    await ctx.stdout.write(lines('', 'USAGE:', '    ipconfig [/allcompartments] [/? | /all | ', '                                 /renew [adapter] | /release [adapter] |', '                                 /renew6 [adapter] | /release6 [adapter] |', '                                 /flushdns | /displaydns | /registerdns |', '                                 /showclassid adapter |', '                                 /setclassid adapter [classid] |', '                                 /showclassid6 adapter |', '                                 /setclassid6 adapter [classid] ]', ''));
    return 0;
  }
  await ctx.stdout.write(lines('', 'Error: unrecognized or incomplete command line.', '', 'USAGE:', '    ipconfig [/allcompartments] [/? | /all | ', '                                 /renew [adapter] | /release [adapter] |', '                                 /renew6 [adapter] | /release6 [adapter] |', '                                 /flushdns | /displaydns | /registerdns |', '                                 /showclassid adapter |', '                                 /setclassid adapter [classid] |', '                                 /showclassid6 adapter |', '                                 /setclassid6 adapter [classid] ]', ''));
  return 1;
}
