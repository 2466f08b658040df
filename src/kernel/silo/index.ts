/** Server silos (containers) and the boot sequences: see ../process/README.md. */
export { Silo, type SiloOptions, type SiloState } from './silo.js';
export { SessionIds, DEFAULT_FIRST_CONTAINER_SESSION } from './sessions.js';
export { SYSTEM_IMAGES, CSRSS_COMMAND_LINE, hostProgramRegistry } from './boot.js';
export { systemEnvironment, userEnvironment, type EnvironmentDefaults } from './environment.js';
