/** Container networking: networks and IPAM, compartments and sockets, published ports, IIS (README.md). */
export { NetworkController, NetworkError, SWARM_REQUIRED, type AttachRequest, type CreateNetworkRequest } from './controller.js';
export { Network, WINDOWS_NETWORK_DRIVERS, type Endpoint, type NetworkDriver } from './network.js';
export { ContainerStack } from './stack.js';
export { PortPublisher, type PortBinding, type PublishedPort } from './publish.js';
export { parsePortSpec, parsePortBindings } from './ports.js';
export { httpSysHandler, iisSiteOf, loopbackConnect, w3svcRunning } from './iis/http-sys.js';
export { httpExchange, type HttpExchangeResult } from './http-client.js';
export { IisSite, WWWROOT, customErrorPage } from './iis/site.js';
export { NET_LIMITS } from './limits.js';
