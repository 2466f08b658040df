/**
 * Dism.exe's online feature servicing, as IIS Dockerfiles use it
 * (`RUN dism.exe /online /enable-feature /all /featurename:iis-webserver
 * /NoRestart`, Microsoft's own IIS image recipe):
 * `/Online /Enable-Feature /FeatureName:X [/FeatureName:Y …] [/All]
 * [/NoRestart] [/Quiet]` and `/Online /Disable-Feature /FeatureName:X`.
 *
 * Enabling an IIS-* feature installs IIS as Install-WindowsFeature
 * Web-Server does (src/shell/features.ts), which Get-WindowsFeature then
 * shows. A feature whose parent is off needs /All (`One or several parent
 * features are disabled so current feature can not be enabled.`, error
 * 50); an unknown name is error 0x800f080c; an unknown option error 87;
 * ContainerUser gets error 740 (DISM needs an elevated token). DISM's exit
 * code is the error.
 *
 * Output: DISM's banner (its version and the image's, both
 * 10.0.20348.<UBR> here), `Enabling feature(s)`, the finished progress bar
 * and `The operation completed successfully.`; errors end with the log
 * file's path.
 *
 * DECIDED: dism.exe's own file version is shown as the image's (both are
 * serviced together); the feature list is the IIS tree and the .NET
 * features Dockerfiles name, other names are unknown; /Get-Features and
 * /Get-FeatureInfo answer error 87 as options this winsilo does not serve;
 * the enabled state is kept under Component Based Servicing\Notifications\
 * OptionalFeatures (where CBS's own store is not modelled).
 */
import type { ProcessContext } from '../../../kernel/process/context.js';
import { FEATURES, installIis, installed, setInstalled, withSubFeatures } from '../../features.js';
import { tokenUser } from '../system/machine.js';
import { lines } from '../system/text.js';
import { windowsVersion } from '../../windows-version.js';

/** DISM's optional features (its names, case-insensitive) and their parents. */
const DISM_FEATURES: Readonly<Record<string, string | null>> = {
  'IIS-WebServerRole': null,
  'IIS-WebServer': 'IIS-WebServerRole',
  'IIS-CommonHttpFeatures': 'IIS-WebServer',
  'IIS-StaticContent': 'IIS-CommonHttpFeatures',
  'IIS-DefaultDocument': 'IIS-CommonHttpFeatures',
  'IIS-DirectoryBrowsing': 'IIS-CommonHttpFeatures',
  'IIS-HttpErrors': 'IIS-CommonHttpFeatures',
  'IIS-HttpRedirect': 'IIS-CommonHttpFeatures',
  'IIS-HealthAndDiagnostics': 'IIS-WebServer',
  'IIS-HttpLogging': 'IIS-HealthAndDiagnostics',
  'IIS-Performance': 'IIS-WebServer',
  'IIS-HttpCompressionStatic': 'IIS-Performance',
  'IIS-Security': 'IIS-WebServer',
  'IIS-RequestFiltering': 'IIS-Security',
  'IIS-ApplicationDevelopment': 'IIS-WebServer',
  'IIS-NetFxExtensibility45': 'IIS-ApplicationDevelopment',
  'IIS-ISAPIExtensions': 'IIS-ApplicationDevelopment',
  'IIS-ISAPIFilter': 'IIS-ApplicationDevelopment',
  'IIS-ASPNET45': 'IIS-ApplicationDevelopment',
  'IIS-WebServerManagementTools': 'IIS-WebServerRole',
  'IIS-ManagementConsole': 'IIS-WebServerManagementTools',
  'IIS-ManagementService': 'IIS-WebServerManagementTools',
  NetFx4ServerFeatures: null,
  'NetFx4Extended-ASPNET45': 'NetFx4ServerFeatures',
  NetFx3: null,
  NetFx3ServerFeatures: null,
};

const DISM_STATE = 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\Notifications\\OptionalFeatures';
const LOG = 'The DISM log file can be found at C:\\Windows\\Logs\\DISM\\dism.log';

function enabled(ctx: ProcessContext, name: string): boolean {
  try {
    const v = ctx.registry?.getValue(`${DISM_STATE}\\${name}`, 'Selection');
    if (v && typeof v.data === 'number') return v.data === 1;
  } catch {
    /* not recorded */
  }
  // The IIS image has IIS on: its features count as enabled there.
  return name.startsWith('IIS-') && installed(ctx, FEATURES.find((f) => f.name === 'Web-Server')!);
}

function setEnabled(ctx: ProcessContext, name: string, on: boolean): void {
  const reg = ctx.registry;
  if (!reg) return;
  const key = `${DISM_STATE}\\${name}`;
  reg.createKey(key);
  reg.setValue(key, { name: 'Selection', type: 4, data: on ? 1 : 0 });
}

export async function dismMain(ctx: ProcessContext): Promise<number> {
  const args = ctx.argv.slice(1);
  const opts = args.map((a) => {
    const m = /^[/-]([^:]+)(?::(.*))?$/.exec(a);
    return m ? { name: m[1]!.toLowerCase(), value: m[2], raw: a } : { name: '', value: undefined, raw: a };
  });
  const has = (n: string) => opts.some((o) => o.name === n);
  const quiet = has('quiet');
  const out: string[] = [];
  const say = (...l: string[]) => {
    if (!quiet) out.push(...l);
  };
  const finish = async (code: number, ...error: string[]): Promise<number> => {
    if (code !== 0) out.push('', `Error: ${code > 0 && code < 0x10000 ? code : `0x${(code >>> 0).toString(16).padStart(8, '0')}`}`, '', ...error, '', LOG, '');
    await ctx.stdout.write(lines(...out));
    return code;
  };
  say('', 'Deployment Image Servicing and Management tool', `Version: ${windowsVersion(ctx)}`, '');
  if (!tokenUser(ctx).admin) return finish(740, 'Elevated permissions are required to run DISM.', 'Use an elevated command prompt to complete these tasks.');
  const unknown = (o: { raw: string }) => finish(87, `The ${o.raw.replace(/^[/-]/, '').replace(/:.*$/, '').toLowerCase()} option is unknown.`, 'For more information, refer to the help by running DISM.exe /?.');
  const verb = opts.find((o) => ['enable-feature', 'disable-feature', 'get-features', 'get-featureinfo'].includes(o.name));
  if (!has('online')) return unknown(verb ?? opts[0] ?? { raw: '/?' });
  say(`Image Version: ${windowsVersion(ctx)}`, '');
  for (const o of opts) {
    if (!['online', 'enable-feature', 'disable-feature', 'featurename', 'all', 'norestart', 'quiet', 'limitaccess', 'source'].includes(o.name)) return unknown(o);
  }
  if (!verb || verb.name === 'get-features' || verb.name === 'get-featureinfo') return unknown(verb ?? opts[0]!);
  const names = opts.filter((o) => o.name === 'featurename').map((o) => o.value ?? '');
  const canonical: string[] = [];
  for (const n of names) {
    const c = Object.keys(DISM_FEATURES).find((k) => k.toLowerCase() === n.toLowerCase());
    if (!c) {
      return finish(0x800f080c | 0, `Feature name ${n} is unknown.`, 'A Windows feature name was not recognized.', 'Use the /Get-Features option to find the name of the feature in the image and try the command again.');
    }
    canonical.push(c);
  }
  if (verb.name === 'disable-feature') {
    say('Disabling feature(s)', '[==========================100.0%==========================]');
    for (const n of canonical) setEnabled(ctx, n, false);
    say('The operation completed successfully.');
    return finish(0);
  }
  // /All turns the parents on; without it each parent must be on already (or be asked for too).
  const wanted = new Set(canonical);
  if (has('all')) {
    for (const n of canonical) for (let p = DISM_FEATURES[n]; p; p = DISM_FEATURES[p]) wanted.add(p);
  } else {
    for (const n of canonical) {
      const p = DISM_FEATURES[n];
      if (p && !wanted.has(p) && !enabled(ctx, p)) {
        return finish(50, 'One or several parent features are disabled so current feature can not be enabled.');
      }
    }
  }
  say('Enabling feature(s)', '[==========================100.0%==========================]');
  if ([...wanted].some((n) => n.startsWith('IIS-'))) {
    const ws = FEATURES.find((f) => f.name === 'Web-Server')!;
    if (!installed(ctx, ws)) {
      installIis(ctx);
      for (const f of withSubFeatures('Web-Server', false)) setInstalled(ctx.registry, f.name, true);
    }
  }
  for (const n of wanted) setEnabled(ctx, n, true);
  say('The operation completed successfully.');
  return finish(0);
}
