/**
 * Windows features as Server Manager and DISM see them in a Server Core
 * container: a subset of Windows Server 2022's role and feature tree, the
 * install state where Server Manager keeps it
 * (HKLM\SOFTWARE\Microsoft\ServerManager\ServicingStorage\ServerComponentCache\<Name>\InstallState),
 * and what installing IIS (Web-Server, or DISM's IIS-* features) writes
 * into the container as the IIS image has it: the WAS, W3SVC and
 * AppHostSvc services (registry and SCM), HKLM\SOFTWARE\Microsoft\InetStp,
 * C:\inetpub and C:\Windows\System32\inetsrv\config\applicationHost.config;
 * W3SVC starts. Install-WindowsFeature (PowerShell) and dism.exe share it.
 */
import { Win32Error } from '../core/win32.js';
import type { ProcessContext } from '../kernel/process/context.js';
import { REG_DWORD, REG_EXPAND_SZ, REG_SZ, type Registry } from '../kernel/registry/types.js';
import { knownService } from '../kernel/services/catalog.js';
// Installing IIS writes what the IIS image has (that image is Server Core with IIS installed).
import { APPLICATION_HOST_CONFIG, IISSTART_HTM, onePixelPng } from '../images/base/tree.js';
import { CUSTERR_STATUSES, customErrorPage } from '../net/iis/custerr.js';
import { makeDirectories } from './cmd/files/paths.js';
import { writeWhole } from './cmd/files/transfer.js';

export interface Feature {
  readonly name: string;
  readonly displayName: string;
  readonly depth: number;
  readonly parent?: string;
  /** Installed in a fresh servercore image. */
  readonly builtIn?: boolean;
}

/** A subset of Windows Server 2022's role and feature tree (Get-WindowsFeature order). */
export const FEATURES: readonly Feature[] = [
  { name: 'FileAndStorage-Services', displayName: 'File and Storage Services', depth: 1, builtIn: true },
  { name: 'Storage-Services', displayName: 'Storage Services', depth: 2, parent: 'FileAndStorage-Services', builtIn: true },
  { name: 'Web-Server', displayName: 'Web Server (IIS)', depth: 1 },
  { name: 'Web-WebServer', displayName: 'Web Server', depth: 2, parent: 'Web-Server' },
  { name: 'Web-Common-Http', displayName: 'Common HTTP Features', depth: 3, parent: 'Web-WebServer' },
  { name: 'Web-Default-Doc', displayName: 'Default Document', depth: 4, parent: 'Web-Common-Http' },
  { name: 'Web-Dir-Browsing', displayName: 'Directory Browsing', depth: 4, parent: 'Web-Common-Http' },
  { name: 'Web-Http-Errors', displayName: 'HTTP Errors', depth: 4, parent: 'Web-Common-Http' },
  { name: 'Web-Static-Content', displayName: 'Static Content', depth: 4, parent: 'Web-Common-Http' },
  { name: 'Web-Http-Redirect', displayName: 'HTTP Redirection', depth: 4, parent: 'Web-Common-Http' },
  { name: 'Web-Health', displayName: 'Health and Diagnostics', depth: 3, parent: 'Web-WebServer' },
  { name: 'Web-Http-Logging', displayName: 'HTTP Logging', depth: 4, parent: 'Web-Health' },
  { name: 'Web-Performance', displayName: 'Performance', depth: 3, parent: 'Web-WebServer' },
  { name: 'Web-Stat-Compression', displayName: 'Static Content Compression', depth: 4, parent: 'Web-Performance' },
  { name: 'Web-Security', displayName: 'Security', depth: 3, parent: 'Web-WebServer' },
  { name: 'Web-Filtering', displayName: 'Request Filtering', depth: 4, parent: 'Web-Security' },
  { name: 'Web-App-Dev', displayName: 'Application Development', depth: 3, parent: 'Web-WebServer' },
  { name: 'Web-Asp-Net45', displayName: 'ASP.NET 4.8', depth: 4, parent: 'Web-App-Dev' },
  { name: 'Web-Mgmt-Tools', displayName: 'Management Tools', depth: 2, parent: 'Web-Server' },
  { name: 'Web-Mgmt-Console', displayName: 'IIS Management Console', depth: 3, parent: 'Web-Mgmt-Tools' },
  { name: 'Web-Mgmt-Service', displayName: 'Management Service', depth: 3, parent: 'Web-Mgmt-Tools' },
  { name: 'NET-Framework-Features', displayName: '.NET Framework 3.5 Features', depth: 1 },
  { name: 'NET-Framework-Core', displayName: '.NET Framework 3.5 (includes .NET 2.0 and 3.0)', depth: 2, parent: 'NET-Framework-Features' },
  { name: 'NET-Framework-45-Features', displayName: '.NET Framework 4.8 Features', depth: 1, builtIn: true },
  { name: 'NET-Framework-45-Core', displayName: '.NET Framework 4.8', depth: 2, parent: 'NET-Framework-45-Features', builtIn: true },
  { name: 'NET-Framework-45-ASPNET', displayName: 'ASP.NET 4.8', depth: 2, parent: 'NET-Framework-45-Features' },
  { name: 'NET-WCF-Services45', displayName: 'WCF Services', depth: 2, parent: 'NET-Framework-45-Features', builtIn: true },
  { name: 'NET-WCF-TCP-PortSharing45', displayName: 'TCP Port Sharing', depth: 3, parent: 'NET-WCF-Services45', builtIn: true },
  { name: 'PowerShellRoot', displayName: 'Windows PowerShell', depth: 1, builtIn: true },
  { name: 'PowerShell', displayName: 'Windows PowerShell 5.1', depth: 2, parent: 'PowerShellRoot', builtIn: true },
  { name: 'Windows-Defender', displayName: 'Microsoft Defender Antivirus', depth: 1, builtIn: true },
  { name: 'WoW64-Support', displayName: 'WoW64 Support', depth: 1, builtIn: true },
];

const CACHE = 'HKLM\\SOFTWARE\\Microsoft\\ServerManager\\ServicingStorage\\ServerComponentCache';

/** Installed per the component cache, else the image default (Web-Server: when W3SVC exists, as in the IIS image). */
export function installed(ctx: ProcessContext, f: Feature): boolean {
  const reg = ctx.registry;
  if (reg) {
    try {
      const v = reg.getValue(`${CACHE}\\${f.name}`, 'InstallState');
      if (v.type === REG_DWORD) return v.data === 1;
    } catch {
      /* not recorded */
    }
  }
  if (f.name.startsWith('Web-') && !f.name.startsWith('Web-Mgmt') && f.name !== 'Web-Asp-Net45' && f.name !== 'Web-Http-Redirect') {
    try {
      ctx.services?.keyName('W3SVC');
      return true;
    } catch {
      return false;
    }
  }
  return f.builtIn === true;
}

/** Everything under a feature (for -IncludeAllSubFeature) and the defaults installing it brings (Web-Server brings the default IIS set). */
export function withSubFeatures(name: string, all: boolean): Feature[] {
  const f = FEATURES.find((x) => x.name.toLowerCase() === name.toLowerCase());
  if (!f) return [];
  const out: Feature[] = [f];
  const defaults = new Set(['Web-WebServer', 'Web-Common-Http', 'Web-Default-Doc', 'Web-Dir-Browsing', 'Web-Http-Errors', 'Web-Static-Content', 'Web-Health', 'Web-Http-Logging', 'Web-Performance', 'Web-Stat-Compression', 'Web-Security', 'Web-Filtering', 'Web-Mgmt-Tools', 'Web-Mgmt-Console']);
  const visit = (parent: string) => {
    for (const c of FEATURES.filter((x) => x.parent === parent)) {
      if (all || defaults.has(c.name)) out.push(c);
      visit(c.name);
    }
  };
  visit(f.name);
  return out;
}

/** What installing Web-Server writes into the container (see the file comment). */
export function installIis(ctx: ProcessContext): void {
  const reg = ctx.registry;
  if (reg) {
    const inet = 'HKLM\\SOFTWARE\\Microsoft\\InetStp';
    reg.createKey(inet);
    reg.setValue(inet, { name: 'MajorVersion', type: REG_DWORD, data: 10 });
    reg.setValue(inet, { name: 'MinorVersion', type: REG_DWORD, data: 0 });
    reg.setValue(inet, { name: 'SetupString', type: REG_SZ, data: 'IIS 10.0' });
    reg.setValue(inet, { name: 'VersionString', type: REG_SZ, data: 'Version 10.0' });
    reg.setValue(inet, { name: 'PathWWWRoot', type: REG_EXPAND_SZ, data: '%SystemDrive%\\inetpub\\wwwroot' });
    reg.setValue(inet, { name: 'InstallPath', type: REG_SZ, data: 'C:\\Windows\\system32\\inetsrv' });
    reg.createKey(inet + '\\Components');
    reg.setValue(inet + '\\Components', { name: 'W3SVC', type: REG_DWORD, data: 1 });
    reg.setValue(inet + '\\Components', { name: 'WAS', type: REG_DWORD, data: 1 });
  }
  const scm = ctx.services;
  if (scm) {
    for (const n of ['WAS', 'W3SVC', 'AppHostSvc']) {
      const spec = knownService(n);
      if (!spec) continue;
      try {
        scm.create(spec);
      } catch (e) {
        if (!(e instanceof Win32Error)) throw e;
      }
    }
    try {
      scm.start('W3SVC');
    } catch (e) {
      if (!(e instanceof Win32Error)) throw e;
    }
  }
  const fs = ctx.fs;
  if (fs) {
    const cwd = 'C:\\';
    for (const d of ['custerr\\en-US', 'history', 'logs\\LogFiles', 'temp\\appPools', 'temp\\IIS Temporary Compressed Files', 'wwwroot']) makeDirectories(fs, `C:\\inetpub\\${d}`, cwd);
    writeWhole(fs, 'C:\\inetpub\\wwwroot\\iisstart.htm', cwd, Buffer.from(IISSTART_HTM, 'latin1'));
    // The picture as the IIS image has it (tree.ts: a 1×1 PNG padded to the file's size), and IIS 10's error pages.
    const png = Buffer.alloc(99710);
    png.set(onePixelPng());
    writeWhole(fs, 'C:\\inetpub\\wwwroot\\iisstart.png', cwd, png);
    for (const code of CUSTERR_STATUSES) writeWhole(fs, `C:\\inetpub\\custerr\\en-US\\${code}.htm`, cwd, Buffer.from(customErrorPage(code)!, 'utf8'));
    makeDirectories(fs, 'C:\\Windows\\System32\\inetsrv\\config', cwd);
    writeWhole(fs, 'C:\\Windows\\System32\\inetsrv\\config\\applicationHost.config', cwd, Buffer.from(APPLICATION_HOST_CONFIG, 'utf8'));
  }
}

export function setInstalled(reg: Registry | undefined, name: string, on: boolean): void {
  if (!reg) return;
  const k = `${CACHE}\\${name}`;
  reg.createKey(k);
  reg.setValue(k, { name: 'InstallState', type: REG_DWORD, data: on ? 1 : 0 });
}
