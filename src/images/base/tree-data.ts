/**
 * The names and sizes of the files a base image holds, as data: the
 * programs the shell provides, the DLLs and drivers a `dir` of System32
 * shows, the profile folders of a user. Names are spelled as Windows
 * spells them on disk (`PING.EXE`, `HOSTNAME.EXE`, `Robocopy.exe` are
 * upper- or mixed-case in a real System32; most others lower-case).
 *
 * Sizes: the first number after a name is its size in bytes on Windows
 * Server 2022 where known from a real system; names without one get a
 * deterministic size in a plausible range (tree.ts `derivedSize`). Sizes
 * vary a little per build, deterministically. They are realistic, not
 * exact: no source lists every file of the base images. DECIDED.
 *
 * Flags after the size: `n` the file is in Nano Server too (Server Core
 * holds every file listed); `w` a copy is in SysWOW64 (Server Core only).
 */

/** `name size flags`, one per line; size 0 means "derive". */
export const SYSTEM32_PROGRAMS = `
attrib.exe 23552 nw
auditpol.exe 58368 -
bitsadmin.exe 228352 w
cacls.exe 33280 w
certreq.exe 534528 w
certutil.exe 1594880 nw
CExecSvc.exe 270336 n
chcp.com 13312 nw
chkdsk.exe 27648 -
choice.exe 35840 nw
cipher.exe 68096 w
clip.exe 35328 w
cmd.exe 323584 nw
cmdkey.exe 27648 w
comp.exe 25600 w
compact.exe 59392 w
conhost.exe 876544 n
cscript.exe 169984 w
csrss.exe 18432 n
curl.exe 588800 nw
Dism.exe 330752 -
dllhost.exe 21504 nw
doskey.exe 18432 w
expand.exe 62976 nw
fc.exe 27136 w
find.exe 20480 nw
findstr.exe 36352 nw
forfiles.exe 43520 w
fsutil.exe 229376 n
ftp.exe 58368 w
gpresult.exe 206848 -
gpupdate.exe 33280 -
HOSTNAME.EXE 16384 nw
icacls.exe 36864 nw
ipconfig.exe 36352 nw
klist.exe 33792 -
label.exe 19968 w
lodctr.exe 29184 w
logman.exe 194560 w
lsass.exe 71168 n
makecab.exe 95232 w
mode.com 33280 w
more.com 30720 nw
mountvol.exe 21504 -
msiexec.exe 67072 w
net.exe 56320 nw
net1.exe 175616 nw
netsh.exe 96768 nw
NETSTAT.EXE 41472 nw
nltest.exe 578560 -
notepad.exe 201216 w
nslookup.exe 104448 w
openfiles.exe 72704 w
PATHPING.EXE 22528 w
PING.EXE 22528 nw
reg.exe 77824 nw
regedit.exe 358400 w
regini.exe 33280 w
regsvr32.exe 25600 nw
replace.exe 23552 w
Robocopy.exe 136192 n
ROUTE.EXE 25088 nw
ARP.EXE 33792 w
rundll32.exe 71680 nw
runas.exe 44544 w
sc.exe 72192 nw
schtasks.exe 237568 w
secedit.exe 24576 w
services.exe 712704 n
setx.exe 55808 nw
sfc.exe 39936 -
shutdown.exe 25600 w
smss.exe 160768 n
sort.exe 32256 nw
subst.exe 18432 w
svchost.exe 57344 nw
systeminfo.exe 92160 w
takeown.exe 52224 w
tar.exe 113152 nw
taskkill.exe 92160 nw
tasklist.exe 98304 w
timeout.exe 30720 nw
TRACERT.EXE 15872 nw
tree.com 19456 w
typeperf.exe 50176 w
tzutil.exe 52224 -
w32tm.exe 117248 n
wevtutil.exe 252416 n
where.exe 48640 nw
whoami.exe 75264 nw
wininit.exe 462848 n
winrs.exe 53760 w
wscript.exe 175104 w
wusa.exe 300032 -
xcopy.exe 47104 nw
`;

export const SYSTEM32_LIBRARIES = `
aclui.dll 0 w
activeds.dll 0 w
advapi32.dll 716800 nw
advpack.dll 0 w
amsi.dll 78848 nw
apphelp.dll 585216 nw
appinfo.dll 0 -
atl.dll 0 w
AudioSes.dll 0 -
authz.dll 251904 nw
bcrypt.dll 125440 nw
bcryptprimitives.dll 529408 nw
bfe.dll 0 n
cabinet.dll 168448 nw
certca.dll 0 w
certcli.dll 0 w
certenc.dll 0 w
cfgmgr32.dll 327680 nw
clbcatq.dll 0 nw
clusapi.dll 0 w
combase.dll 3555328 nw
comctl32.dll 0 w
comdlg32.dll 0 w
coml2.dll 0 w
credui.dll 0 w
crypt32.dll 1511424 nw
cryptbase.dll 40960 nw
cryptdll.dll 0 nw
cryptnet.dll 0 nw
cryptsp.dll 102400 nw
cryptsvc.dll 0 n
cryptui.dll 0 w
cscapi.dll 0 w
dbgcore.dll 0 nw
dbghelp.dll 0 nw
devobj.dll 0 nw
dhcpcore.dll 0 n
dhcpcore6.dll 0 n
dhcpcsvc.dll 0 nw
dhcpcsvc6.dll 0 nw
dnsapi.dll 700416 nw
dnsrslvr.dll 0 n
dpapi.dll 0 nw
dsparse.dll 0 w
dsreg.dll 0 -
dsrole.dll 0 nw
es.dll 0 -
esent.dll 0 w
FirewallAPI.dll 0 nw
fltLib.dll 0 nw
fwpuclnt.dll 0 nw
gdi32.dll 159744 nw
gdi32full.dll 1646592 nw
gpapi.dll 0 nw
gpsvc.dll 0 -
hid.dll 0 w
httpapi.dll 0 nw
iertutil.dll 0 w
imagehlp.dll 0 nw
imm32.dll 0 nw
iphlpapi.dll 217088 nw
iphlpsvc.dll 0 n
kerberos.dll 0 n
kernel.appcore.dll 0 nw
kernel32.dll 782336 nw
KernelBase.dll 3002368 nw
ktmw32.dll 0 nw
lmhsvc.dll 0 -
logoncli.dll 0 nw
lsasrv.dll 1757184 n
lsm.dll 0 n
mpr.dll 0 nw
mpssvc.dll 0 n
msasn1.dll 0 nw
mscoree.dll 0 w
msctf.dll 0 w
msi.dll 3907584 w
msv1_0.dll 0 n
msvcp_win.dll 643072 nw
msvcp110_win.dll 0 nw
msvcrt.dll 634880 nw
mswsock.dll 0 nw
ncrypt.dll 0 nw
ncryptprov.dll 0 nw
netapi32.dll 0 nw
netcfgx.dll 0 n
netprofmsvc.dll 0 -
netutils.dll 0 nw
nlasvc.dll 0 -
normaliz.dll 0 nw
nsi.dll 0 nw
nsisvc.dll 0 n
ntasn1.dll 0 nw
ntdll.dll 2150400 nw
ntdsapi.dll 0 nw
ntmarta.dll 0 nw
ole32.dll 1470464 nw
oleacc.dll 0 w
oleaut32.dll 823296 nw
pcwum.dll 0 nw
pdh.dll 0 nw
powrprof.dll 0 nw
profapi.dll 0 nw
profsvc.dll 0 n
propsys.dll 0 w
psapi.dll 0 nw
rasadhlp.dll 0 w
rasapi32.dll 0 w
rpcrt4.dll 1150976 nw
rpcss.dll 0 n
rsaenh.dll 0 nw
samcli.dll 0 nw
samlib.dll 0 nw
samsrv.dll 0 n
schannel.dll 0 nw
schedsvc.dll 0 -
sechost.dll 663552 nw
secur32.dll 0 nw
sens.dll 0 -
setupapi.dll 4550656 nw
shcore.dll 0 nw
shell32.dll 7598080 w
shlwapi.dll 0 nw
slc.dll 0 nw
sppc.dll 0 nw
srvcli.dll 0 nw
sspicli.dll 0 nw
sxs.dll 0 nw
tdh.dll 0 nw
trkwks.dll 0 -
ucrtbase.dll 1208320 nw
umpdc.dll 0 nw
urlmon.dll 0 w
user32.dll 1689600 nw
userenv.dll 0 nw
usermgr.dll 0 n
uxtheme.dll 0 w
vcruntime140.dll 0 -
version.dll 0 nw
virtdisk.dll 0 n
w32time.dll 0 n
wbemcomn.dll 0 nw
webio.dll 0 nw
wevtapi.dll 0 nw
wevtsvc.dll 0 n
win32u.dll 0 nw
windows.storage.dll 0 w
winhttp.dll 0 nw
wininet.dll 0 w
winmm.dll 0 w
winnsi.dll 0 nw
winsta.dll 0 nw
wintrust.dll 0 nw
wkscli.dll 0 nw
wldap32.dll 0 nw
wmiclnt.dll 0 nw
ws2_32.dll 434176 nw
wshtcpip.dll 0 nw
wtsapi32.dll 0 nw
xmllite.dll 0 nw
`;

/** Drivers a container's System32\drivers shows (the kernel is the host's; these are the files only). */
export const DRIVERS = `
afd.sys 0 n
bfe.sys 0 -
http.sys 0 n
ndis.sys 0 n
netio.sys 0 n
tcpip.sys 0 n
wcifs.sys 0 n
wfplwfs.sys 0 -
`;

/** System32\wbem (Server Core). */
export const WBEM = `
fastprox.dll 0
mofcomp.exe 0
wbemcore.dll 0
wbemprox.dll 0
wbemsvc.dll 0
WMIC.exe 571392
WmiPrvSE.exe 512000
WMIsvc.dll 0
`;

/** System32\OpenSSH (Server Core): the client tools. */
export const OPENSSH = `
scp.exe 0
sftp.exe 0
ssh-add.exe 0
ssh-agent.exe 0
ssh-keygen.exe 0
ssh-keyscan.exe 0
ssh.exe 1198592
`;

/** System32\inetsrv on the IIS image. */
export const INETSRV = `
appcmd.exe 0
iiscore.dll 0
iisres.dll 0
iisutil.dll 0
iisw3adm.dll 0
nativerd.dll 0
w3dt.dll 0
w3tp.dll 0
w3wp.exe 0
`;

/** Modules under System32\WindowsPowerShell\v1.0\Modules (Server Core). */
export const POWERSHELL_MODULES = [
  'CimCmdlets',
  'Dism',
  'Microsoft.PowerShell.Archive',
  'Microsoft.PowerShell.Diagnostics',
  'Microsoft.PowerShell.Host',
  'Microsoft.PowerShell.LocalAccounts',
  'Microsoft.PowerShell.Management',
  'Microsoft.PowerShell.Security',
  'Microsoft.PowerShell.Utility',
  'Microsoft.WSMan.Management',
  'NetAdapter',
  'NetSecurity',
  'NetTCPIP',
  'PKI',
  'PSDiagnostics',
  'ScheduledTasks',
  'ServerManager',
  'SmbShare',
  'Storage',
];

/** Windows' own folders under C:\Windows, with the flavours that have them (`n`: Nano Server too). */
export const WINDOWS_FOLDERS = `
AppPatch -
assembly -
debug n
diagnostics -
Globalization n
INF n
Logs n
Microsoft.NET -
Panther -
PLA -
PolicyDefinitions -
Provisioning -
Registration n
rescache -
Resources -
schemas -
security n
ServiceProfiles n
servicing n
Setup -
SoftwareDistribution -
System -
System32 n
SystemResources -
Tasks n
Temp n
tracing -
WinSxS n
`;

/** The folders of a user profile; `h` hidden. */
export const PROFILE_FOLDERS = `
AppData h
AppData\\Local -
AppData\\Local\\Microsoft -
AppData\\Local\\Microsoft\\Windows -
AppData\\Local\\Microsoft\\Windows\\INetCache -
AppData\\Local\\Microsoft\\Windows\\INetCookies -
AppData\\Local\\Microsoft\\WindowsApps -
AppData\\Local\\Temp -
AppData\\LocalLow -
AppData\\Roaming -
AppData\\Roaming\\Microsoft -
AppData\\Roaming\\Microsoft\\Windows -
AppData\\Roaming\\Microsoft\\Windows\\Network Shortcuts -
AppData\\Roaming\\Microsoft\\Windows\\Printer Shortcuts -
AppData\\Roaming\\Microsoft\\Windows\\Recent -
AppData\\Roaming\\Microsoft\\Windows\\SendTo -
AppData\\Roaming\\Microsoft\\Windows\\Start Menu -
AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs -
AppData\\Roaming\\Microsoft\\Windows\\Templates -
Desktop -
Documents -
Downloads -
Favorites -
Links -
Music -
Pictures -
Saved Games -
Videos -
`;

/**
 * The compatibility junctions of a profile (hidden, system; "Access is
 * denied" to list): name → target relative to the profile.
 */
export const PROFILE_JUNCTIONS: readonly [string, string][] = [
  ['Application Data', 'AppData\\Roaming'],
  ['Cookies', 'AppData\\Local\\Microsoft\\Windows\\INetCookies'],
  ['Local Settings', 'AppData\\Local'],
  ['My Documents', 'Documents'],
  ['NetHood', 'AppData\\Roaming\\Microsoft\\Windows\\Network Shortcuts'],
  ['PrintHood', 'AppData\\Roaming\\Microsoft\\Windows\\Printer Shortcuts'],
  ['Recent', 'AppData\\Roaming\\Microsoft\\Windows\\Recent'],
  ['SendTo', 'AppData\\Roaming\\Microsoft\\Windows\\SendTo'],
  ['Start Menu', 'AppData\\Roaming\\Microsoft\\Windows\\Start Menu'],
  ['Templates', 'AppData\\Roaming\\Microsoft\\Windows\\Templates'],
];

/** One line of a list above. */
export interface ListedFile {
  readonly name: string;
  readonly size: number;
  readonly flags: string;
}

export function parseList(text: string): ListedFile[] {
  const out: ListedFile[] = [];
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (t === '') continue;
    const parts = t.split(' ');
    // Folder names may contain spaces: the size and flags are the last fields when present.
    const flags = parts.length > 1 && /^[a-z-]+$/.test(parts[parts.length - 1]!) ? parts.pop()! : '';
    const size = parts.length > 1 && /^\d+$/.test(parts[parts.length - 1]!) ? Number(parts.pop()) : 0;
    out.push({ name: parts.join(' '), size, flags });
  }
  return out;
}
