/**
 * The cmdlet table and Windows PowerShell 5.1's built-in aliases
 * (Get-Alias on a fresh 5.1 session; `curl` and `wget` are still aliases of
 * Invoke-WebRequest there).
 */
import { archiveCmdlets } from './archive.js';
import type { CmdletDef } from '../runtime/commands.js';
import type { Runtime } from '../runtime/interpreter.js';
import { PSObject, enumerate, toStr } from '../runtime/values.js';
import { cmdlet, p, sw } from './define.js';
import { itemCmdlets } from './items.js';
import { managementCmdlets } from './management.js';
import { systemCmdlets } from './system.js';
import { utilityCmdlets } from './utility.js';

export const ALIASES: Readonly<Record<string, string>> = {
  '%': 'ForEach-Object',
  '?': 'Where-Object',
  ac: 'Add-Content',
  cat: 'Get-Content',
  cd: 'Set-Location',
  chdir: 'Set-Location',
  clc: 'Clear-Content',
  clear: 'Clear-Host',
  cls: 'Clear-Host',
  clv: 'Clear-Variable',
  copy: 'Copy-Item',
  cp: 'Copy-Item',
  cpi: 'Copy-Item',
  cpp: 'Copy-ItemProperty',
  curl: 'Invoke-WebRequest',
  del: 'Remove-Item',
  dir: 'Get-ChildItem',
  echo: 'Write-Output',
  erase: 'Remove-Item',
  fl: 'Format-List',
  foreach: 'ForEach-Object',
  ft: 'Format-Table',
  fw: 'Format-Wide',
  gal: 'Get-Alias',
  gc: 'Get-Content',
  gci: 'Get-ChildItem',
  gcm: 'Get-Command',
  gdr: 'Get-PSDrive',
  gi: 'Get-Item',
  gl: 'Get-Location',
  gm: 'Get-Member',
  gp: 'Get-ItemProperty',
  gpv: 'Get-ItemPropertyValue',
  gps: 'Get-Process',
  group: 'Group-Object',
  gsv: 'Get-Service',
  gv: 'Get-Variable',
  gwmi: 'Get-WmiObject',
  gcim: 'Get-CimInstance',
  sls: 'Select-String',
  icm: 'Invoke-Command',
  iex: 'Invoke-Expression',
  ipmo: 'Import-Module',
  irm: 'Invoke-RestMethod',
  iwr: 'Invoke-WebRequest',
  kill: 'Stop-Process',
  ls: 'Get-ChildItem',
  measure: 'Measure-Object',
  mi: 'Move-Item',
  move: 'Move-Item',
  mv: 'Move-Item',
  ni: 'New-Item',
  nal: 'New-Alias',
  nv: 'New-Variable',
  ogv: 'Out-GridView',
  popd: 'Pop-Location',
  ps: 'Get-Process',
  pushd: 'Push-Location',
  pwd: 'Get-Location',
  rd: 'Remove-Item',
  ren: 'Rename-Item',
  ri: 'Remove-Item',
  rm: 'Remove-Item',
  rmdir: 'Remove-Item',
  rni: 'Rename-Item',
  rp: 'Remove-ItemProperty',
  rv: 'Remove-Variable',
  sajb: 'Start-Job',
  sal: 'Set-Alias',
  saps: 'Start-Process',
  sasv: 'Start-Service',
  sc: 'Set-Content',
  select: 'Select-Object',
  set: 'Set-Variable',
  sl: 'Set-Location',
  sleep: 'Start-Sleep',
  sort: 'Sort-Object',
  sp: 'Set-ItemProperty',
  spps: 'Stop-Process',
  spsv: 'Stop-Service',
  start: 'Start-Process',
  sv: 'Set-Variable',
  tee: 'Tee-Object',
  type: 'Get-Content',
  wget: 'Invoke-WebRequest',
  where: 'Where-Object',
  write: 'Write-Output',
  md: 'mkdir',
};

export function buildCmdlets(rt: Runtime): Map<string, CmdletDef> {
  const list: CmdletDef[] = [...utilityCmdlets(rt), ...itemCmdlets(rt), ...managementCmdlets(rt), ...systemCmdlets(rt), ...archiveCmdlets(rt)];
  const newItem = list.find((d) => d.name === 'New-Item')!;
  list.push(
    // mkdir is a function in 5.1: New-Item -ItemType Directory, errors under its own name.
    cmdlet('mkdir', [p('Path', 0), p('Name'), sw('Force')], async (c) => {
      const bound = new Map(c.bound);
      bound.set('itemtype', 'Directory');
      await newItem.run!({ ...c, bound, has: (n) => bound.has(n.toLowerCase()), get: (n) => bound.get(n.toLowerCase()), strings: (n) => (bound.has(n.toLowerCase()) ? enumerate(bound.get(n.toLowerCase())).map(toStr) : undefined) });
    }),
    cmdlet('Tee-Object', [p('FilePath', 0), p('Variable'), sw('Append')], async (c) => {
      if (c.has('Variable')) rt.setVar(toStr(c.get('Variable')), c.input.length === 1 ? c.input[0] : c.input);
      if (c.has('FilePath')) {
        const text = rt.host.formatText(c.input);
        rt.writeFileEncoded(toStr(c.get('FilePath')), text, c.flag('Append'), 'unicode');
      }
      for (const x of c.input) await c.emit(x);
    }),
    cmdlet('Get-History', [p('Id', 0), p('Count')], async (c) => {
      const h = rt.getVar('__history');
      let i = 1;
      for (const line of Array.isArray(h) ? h : []) await c.emit(new PSObject(['Microsoft.PowerShell.Commands.HistoryInfo', 'System.Object'], () => toStr(line)).add('Id', i++).add('CommandLine', line));
    }),
  );
  const map = new Map<string, CmdletDef>();
  for (const d of list) map.set(d.name.toLowerCase(), d);
  return map;
}

/** The support matrix (style.md rule 7): each cmdlet with its level and note. */
export function supportMatrix(rt: Runtime): { name: string; level: string; note?: string }[] {
  return [...buildCmdlets(rt).values()].map((d) => ({ name: d.name, level: d.support.level, note: d.support.level === 'partial' ? d.support.note : undefined }));
}
