// HcsCreateProcess and the process calls: console size, standard pipes,
// signals, kill, the errors a process that cannot start gets.
import { describe, expect, test } from 'vitest';
import { HCS_E_PROCESS_ALREADY_STOPPED, HcsError } from '../../src/hcs/index.js';
import { Collector, containerId, settle, sharedHost } from './support.js';

function running(name: string) {
  const h = sharedHost();
  const s = h.service.createComputeSystem(containerId(name), { Image: h.image() });
  s.start();
  return { h, s };
}

function hcsError(fn: () => unknown): HcsError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(HcsError);
    return e as HcsError;
  }
  throw new Error('expected an HcsError');
}

describe('creating processes', () => {
  test('processes are created by CExecSvc.exe in the container\'s session', async () => {
    const { s } = running('parent');
    const p = s.createProcess({ CommandLine: 'waiter.exe' });
    const proc = s.silo!.kernel.process(p.pid)!;
    const cexec = s.silo!.roles.cexecsvc!;
    expect(cexec.imageName).toBe('CExecSvc.exe');
    expect(proc.parentPid).toBe(cexec.pid);
    expect(proc.sessionId).toBe(s.silo!.sessionId);
    expect(p.exitCode).toBeUndefined();
    expect(p.running).toBe(true);
    s.terminate();
  });

  test('EmulateConsole with ConsoleSize [height, width]: the program sees that console; stdout carries its output, no stderr', async () => {
    const { s } = running('console');
    const p = s.createProcess({ CommandLine: 'tool.exe', EmulateConsole: true, ConsoleSize: [40, 100], CreateStdInPipe: true, CreateStdOutPipe: true, CreateStdErrPipe: true });
    expect(p.console).toBeDefined();
    expect(p.stderr).toBeNull();
    const out = new Collector(p.stdout);
    expect(await p.wait()).toBe(0);
    await settle();
    expect(out.text).toContain('console=40x100\r\n');
  });

  test('resizeConsole(height, width) resizes the emulated console', () => {
    const { s } = running('resize');
    const p = s.createProcess({ CommandLine: 'waiter.exe', EmulateConsole: true, ConsoleSize: [25, 80], CreateStdOutPipe: true });
    p.resizeConsole(50, 132);
    expect([p.console!.rows, p.console!.columns]).toEqual([50, 132]);
    expect(hcsError(() => p.resizeConsole(0, 80)).hresult).toBe(87);
    const plain = s.createProcess({ CommandLine: 'waiter.exe' });
    expect(hcsError(() => plain.resizeConsole(25, 80)).message).toBe(`hcs::Process::ResizeConsole ${s.id}:${plain.pid}: The parameter is incorrect.`);
    s.terminate();
  });

  test('standard pipes: what the host writes to stdin comes back on stdout; closing stdin ends it', async () => {
    const { s } = running('pipes');
    const p = s.createProcess({ CommandLine: 'cat.exe', CreateStdInPipe: true, CreateStdOutPipe: true, CreateStdErrPipe: true });
    expect(p.stdin).not.toBeNull();
    expect(p.stderr).not.toBeNull();
    const out = new Collector(p.stdout);
    await p.stdin!.write('hello\r\n');
    await settle();
    expect(out.text).toBe('hello\r\n');
    p.closeStdin();
    expect(await p.wait()).toBe(0);
    expect(await out.done).toBe('hello\r\n');
  });

  test('without pipes the standard handles are NUL', async () => {
    const { s } = running('nul');
    const p = s.createProcess({ CommandLine: 'cat.exe' });
    expect([p.stdin, p.stdout, p.stderr]).toEqual([null, null, null]);
    expect(await p.wait()).toBe(0);
  });

  test('Environment is added to the user\'s environment block; WorkingDirectory is the current directory', async () => {
    const { s } = running('env');
    s.silo!.fs!.createDirectory('C:\\work', 'C:\\');
    const p = s.createProcess({ CommandLine: 'tool.exe', Environment: { FOO: 'bar' }, WorkingDirectory: 'C:\\work', CreateStdOutPipe: true });
    const out = new Collector(p.stdout);
    await p.wait();
    expect(await out.done).toBe('args= foo=bar user=ContainerAdministrator cwd=C:\\work\r\n');
    // Exited; its pid stays taken while the ComputeProcess (a handle) is open.
    expect(s.silo!.kernel.process(p.pid)?.running).toBe(false);
    p.close();
    expect(s.silo!.kernel.process(p.pid)).toBeUndefined();
  });

  test('User ContainerUser runs with that user\'s environment; an unknown user is refused with 1326', async () => {
    const { s } = running('user');
    const p = s.createProcess({ CommandLine: 'tool.exe', User: 'containeruser', CreateStdOutPipe: true });
    const out = new Collector(p.stdout);
    await p.wait();
    expect(await out.done).toContain('user=ContainerUser');
    const e = hcsError(() => s.createProcess({ CommandLine: 'tool.exe', User: 'Administrator' }));
    expect(e.message).toBe(`hcs::System::CreateProcess ${s.id}: The user name or password is incorrect.`);
    expect(e.containerErrorMessage).toBe(
      `container ${s.id} encountered an error during hcs::System::CreateProcess: failure in a Windows system call: The user name or password is incorrect. (0x52e)`,
    );
    s.terminate();
  });
});

describe('a process that cannot start', () => {
  test('a command that does not resolve: ERROR_FILE_NOT_FOUND as hcsshim wraps it', () => {
    const { s } = running('enoent');
    const e = hcsError(() => s.createProcess({ CommandLine: 'nosuchprogram.exe x' }));
    expect(e.hresult).toBe(2);
    expect(e.message).toBe(`hcs::System::CreateProcess ${s.id}: The system cannot find the file specified.`);
    expect(e.containerErrorMessage).toBe(
      `container ${s.id} encountered an error during hcs::System::CreateProcess: failure in a Windows system call: The system cannot find the file specified. (0x2)`,
    );
    s.terminate();
  });

  test('a working directory that does not exist: ERROR_DIRECTORY (267)', () => {
    const { s } = running('baddir');
    const e = hcsError(() => s.createProcess({ CommandLine: 'tool.exe', WorkingDirectory: 'C:\\nowhere' }));
    expect(e.message).toBe(`hcs::System::CreateProcess ${s.id}: The directory name is invalid.`);
    s.terminate();
  });

  test('a console size that is not two positive integers: ERROR_INVALID_PARAMETER', () => {
    const { s } = running('badsize');
    expect(hcsError(() => s.createProcess({ CommandLine: 'tool.exe', EmulateConsole: true, ConsoleSize: [-1, 80] })).hresult).toBe(87);
    s.terminate();
  });
});

describe('signals and kill', () => {
  test('CtrlC ends a program without a handler with STATUS_CONTROL_C_EXIT (0xC000013A)', async () => {
    const { s } = running('ctrlc');
    const p = s.createProcess({ CommandLine: 'waiter.exe' });
    await settle();
    expect(p.signal('CtrlC')).toBe(true);
    expect(await p.wait()).toBe(0xc000013a);
    s.terminate();
  });

  test('CtrlC to a console process goes through its console', async () => {
    const { s } = running('ctrlc-console');
    const p = s.createProcess({ CommandLine: 'printer.exe', EmulateConsole: true, ConsoleSize: [30, 120], CreateStdOutPipe: true });
    const out = new Collector(p.stdout);
    await settle();
    expect(out.text).toBe('ready\n');
    p.signal('CtrlC');
    expect(await p.wait()).toBe(3221225786);
    s.terminate();
  });

  test('kill ends the process with exit code 1', async () => {
    const { s } = running('kill');
    const p = s.createProcess({ CommandLine: 'waiter.exe' });
    expect(p.kill()).toBe(true);
    expect(await p.wait()).toBe(1);
    expect(p.exitCode).toBe(1);
    s.terminate();
  });

  test('Signal or Kill of a process that has exited: HCS_E_PROCESS_ALREADY_STOPPED, hcsshim\'s ProcessError text', async () => {
    const { s } = running('exited');
    const p = s.createProcess({ CommandLine: 'tool.exe 0' });
    await p.wait();
    const e = hcsError(() => p.signal('CtrlBreak'));
    expect(e.hresult).toBe(HCS_E_PROCESS_ALREADY_STOPPED);
    expect(e.message).toBe(`hcs::Process::Signal ${s.id}:${p.pid}: The process has already exited.`);
    expect(hcsError(() => p.kill()).message).toBe(`hcs::Process::Kill ${s.id}:${p.pid}: The process has already exited.`);
    p.close();
    expect(hcsError(() => p.kill()).hresult).toBe(6);
    s.terminate();
  });

  test('terminating the system ends its processes', async () => {
    const { s } = running('systerm');
    const p = s.createProcess({ CommandLine: 'waiter.exe' });
    s.terminate();
    expect(await p.wait()).toBe(1067);
  });

  test('shutdown: a process without a handler ends with STATUS_CONTROL_C_EXIT', async () => {
    const { s } = running('sysshutdown');
    const p = s.createProcess({ CommandLine: 'waiter.exe' });
    await settle();
    await s.shutdown(1000);
    expect(p.exitCode).toBe(0xc000013a);
  });
});
