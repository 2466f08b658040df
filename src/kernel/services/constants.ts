/**
 * Service control manager constants, spelled and valued as winsvc.h / winnt.h
 * spell them ("SERVICE_STATUS structure", "QUERY_SERVICE_CONFIGA structure",
 * "ControlService function", "EnumServicesStatusExA function", Microsoft
 * Learn). One table per family.
 */

/** dwServiceType. */
export const SERVICE_KERNEL_DRIVER = 0x1;
export const SERVICE_FILE_SYSTEM_DRIVER = 0x2;
export const SERVICE_ADAPTER = 0x4;
export const SERVICE_RECOGNIZER_DRIVER = 0x8;
export const SERVICE_WIN32_OWN_PROCESS = 0x10;
export const SERVICE_WIN32_SHARE_PROCESS = 0x20;
export const SERVICE_INTERACTIVE_PROCESS = 0x100;
/** Masks EnumServicesStatusEx takes. */
export const SERVICE_DRIVER = SERVICE_KERNEL_DRIVER | SERVICE_FILE_SYSTEM_DRIVER | SERVICE_RECOGNIZER_DRIVER;
export const SERVICE_WIN32 = SERVICE_WIN32_OWN_PROCESS | SERVICE_WIN32_SHARE_PROCESS;
export const SERVICE_TYPE_ALL = SERVICE_DRIVER | SERVICE_WIN32 | SERVICE_ADAPTER | SERVICE_INTERACTIVE_PROCESS;

/** dwStartType. */
export const SERVICE_BOOT_START = 0;
export const SERVICE_SYSTEM_START = 1;
export const SERVICE_AUTO_START = 2;
export const SERVICE_DEMAND_START = 3;
export const SERVICE_DISABLED = 4;

/** dwErrorControl. */
export const SERVICE_ERROR_IGNORE = 0;
export const SERVICE_ERROR_NORMAL = 1;
export const SERVICE_ERROR_SEVERE = 2;
export const SERVICE_ERROR_CRITICAL = 3;

/** dwCurrentState. */
export const SERVICE_STOPPED = 1;
export const SERVICE_START_PENDING = 2;
export const SERVICE_STOP_PENDING = 3;
export const SERVICE_RUNNING = 4;
export const SERVICE_CONTINUE_PENDING = 5;
export const SERVICE_PAUSE_PENDING = 6;
export const SERVICE_PAUSED = 7;

/** dwControlsAccepted. */
export const SERVICE_ACCEPT_STOP = 0x1;
export const SERVICE_ACCEPT_PAUSE_CONTINUE = 0x2;
export const SERVICE_ACCEPT_SHUTDOWN = 0x4;
export const SERVICE_ACCEPT_PARAMCHANGE = 0x8;
export const SERVICE_ACCEPT_NETBINDCHANGE = 0x10;
export const SERVICE_ACCEPT_HARDWAREPROFILECHANGE = 0x20;
export const SERVICE_ACCEPT_POWEREVENT = 0x40;
export const SERVICE_ACCEPT_SESSIONCHANGE = 0x80;
export const SERVICE_ACCEPT_PRESHUTDOWN = 0x100;
export const SERVICE_ACCEPT_TIMECHANGE = 0x200;
export const SERVICE_ACCEPT_TRIGGEREVENT = 0x400;

/** ControlService dwControl. */
export const SERVICE_CONTROL_STOP = 1;
export const SERVICE_CONTROL_PAUSE = 2;
export const SERVICE_CONTROL_CONTINUE = 3;
export const SERVICE_CONTROL_INTERROGATE = 4;
export const SERVICE_CONTROL_SHUTDOWN = 5;

/** EnumServicesStatusEx dwServiceState. */
export const SERVICE_ACTIVE = 1;
export const SERVICE_INACTIVE = 2;
export const SERVICE_STATE_ALL = 3;

/** dwServiceFlags: the service runs in a system process that must always be running. */
export const SERVICE_RUNS_IN_SYSTEM_PROCESS = 0x1;

/** A DependOnGroup entry in lpDependencies starts with this character. */
export const SC_GROUP_IDENTIFIER = '+';

/** Where the services live in the registry. */
export const SERVICES_KEY = 'HKLM\\SYSTEM\\CurrentControlSet\\Services';
