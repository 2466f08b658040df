/**
 * HTTP.sys as far as IIS uses it: while the World Wide Web Publishing
 * Service (W3SVC) runs in a container, its URL group for the Default Web
 * Site (`http://*:80/`, applicationHost.config's binding) receives the
 * connections to port 80 and the site (site.ts) answers them. W3SVC
 * stopped (or not installed): nothing holds port 80 and a connection is
 * refused. So starting the service — by the SCM at boot, by
 * ServiceMonitor.exe, `net start w3svc`, `Start-Service`, or after
 * `Install-WindowsFeature Web-Server` created it — starts the web server.
 *
 * DECIDED: the binding is port 80 only (the image's applicationHost.config
 * is not parsed); one site object per silo boot, created at the first
 * connection and kept while the silo lives.
 */
import type { Duplex } from 'node:stream';
import { SERVICE_RUNNING } from '../../kernel/services/constants.js';
import type { Silo } from '../../kernel/silo/silo.js';
import { socketPair } from '../socket-pair.js';
import { IisSite } from './site.js';

const sites = new WeakMap<Silo, IisSite>();

/** Whether W3SVC runs in the silo. */
export function w3svcRunning(silo: Silo): boolean {
  const scm = silo.scm;
  if (!scm) return false;
  try {
    return scm.query('W3SVC').dwCurrentState === SERVICE_RUNNING;
  } catch {
    return false;
  }
}

/** The handler HTTP.sys has for `port` of the silo, if any. */
export function httpSysHandler(silo: Silo, port: number, serverIp: () => string = () => '-'): ((socket: Duplex) => void) | undefined {
  if (port !== 80 || !silo.fs || !w3svcRunning(silo)) return undefined;
  let site = sites.get(silo);
  if (!site) {
    site = new IisSite(silo.fs, () => silo.kernel.clock(), serverIp);
    sites.set(silo, site);
  }
  const s = site;
  return (socket) => s.accept(socket);
}

/** The site of a silo, if it served anything (tests read its log through it). */
export function iisSiteOf(silo: Silo): IisSite | undefined {
  return sites.get(silo);
}

/**
 * A loopback connection to `port` of a silo no network is attached to
 * (the kernel's tests boot such silos): HTTP.sys still answers on the
 * loopback. Undefined when nothing holds the port (connection refused).
 */
export function loopbackConnect(silo: Silo, port: number): Duplex | undefined {
  const handler = httpSysHandler(silo, port, () => '127.0.0.1');
  if (!handler) return undefined;
  const [client, server] = socketPair({ address: '127.0.0.1', port: 49152 }, { address: '127.0.0.1', port });
  handler(server);
  return client;
}
