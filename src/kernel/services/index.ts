/** services.exe: the service control manager and the service catalog of container images. */
export * from './constants.js';
export { servicesFor, knownService, SERVICE_GROUP_ORDER, type ServiceSpec, type ImageFlavor } from './catalog.js';
export { serviceValues, serviceRegistryTree, serviceGroupOrderKey, writeService, readServiceDatabase } from './registry.js';
export {
  ServiceControlManager,
  type ServiceStatusProcess,
  type EnumServiceStatusProcess,
  type ServiceConfig,
  type ServiceConfigChange,
} from './scm.js';
