/** Container networking: networks and IPAM, compartments and sockets, published ports, IIS (README.md). */
export { NetworkController, NetworkError, SWARM_REQUIRED, type AttachRequest, type CreateNetworkRequest, type StoredNetwork } from './controller.js';
export { Network, WINDOWS_NETWORK_DRIVERS, type Endpoint, type NetworkDriver } from './network.js';
export { ContainerStack, type EndpointStatistics } from './stack.js';
export { endpointPortPolicyError, isUnspecifiedAddress, NAT_HOST_IP_REFUSED, NAT_HOST_PORT_RANGE_REFUSED, PortPublisher, unsupportedProtocol, type PortBinding, type PortPublisherOptions, type PublishedPort } from './publish.js';
export { parsePortSpec, parsePortSpecs, parsePortBindings, portBindingsOf, type PortSpec } from './ports.js';
export { httpSysHandler, iisSiteOf, loopbackConnect, w3svcRunning } from './iis/http-sys.js';
export { httpExchange, type HttpExchangeResult } from './http-client.js';
export { IisSite, WWWROOT } from './iis/site.js';
export { CUSTERR_STATUSES, customErrorPage } from './iis/custerr.js';
export { NET_LIMITS } from './limits.js';
