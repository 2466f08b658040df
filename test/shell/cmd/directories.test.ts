// CD/CHDIR, PUSHD/POPD, drives (Microsoft Learn "cd", "pushd", "popd").
import { describe, expect, it } from 'vitest';
import { run, runBatch } from '../support.js';

const batch = async (body: string) => runBatch(`@echo off\r\n${body}`);

describe('directories', () => {
  it('cd alone prints the current directory', async () => {
    expect((await run(['cmd', '/c', 'cd'])).stdout).toBe('C:\\\r\n');
  });

  it('cd changes it; cd.. and cd\\ work without a space', async () => {
    expect((await batch('cd C:\\Windows\\System32\r\ncd..\r\ncd\r\ncd\\\r\ncd\r\n')).stdout).toBe('C:\\Windows\r\nC:\\\r\n');
  });

  it('cd takes a path with spaces unquoted', async () => {
    expect((await batch('cd C:\\Program Files\r\ncd\r\n')).stdout).toBe('C:\\Program Files\r\n');
  });

  it('a missing directory: "The system cannot find the path specified." and ERRORLEVEL 1', async () => {
    const r = await batch('cd C:\\nope\r\necho %errorlevel%\r\n');
    expect(r.stderr).toBe('The system cannot find the path specified.\r\n');
    expect(r.stdout).toBe('1\r\n');
  });

  it('a file: "The directory name is invalid."', async () => {
    const r = await batch('cd C:\\t\\x.cmd\r\n');
    expect(r.stderr).toBe('The directory name is invalid.\r\n');
  });

  it('cd /d changes drive and directory', async () => {
    expect((await batch('cd /d C:\\Users\r\ncd\r\n')).stdout).toBe('C:\\Users\r\n');
  });

  it('an unknown drive: "The system cannot find the drive specified."', async () => {
    expect((await batch('Q:\r\n')).stderr).toBe('The system cannot find the drive specified.\r\n');
  });

  it('pushd saves the directory, popd returns to it; $+ shows the depth', async () => {
    expect((await batch('pushd C:\\Windows\r\ncd\r\npushd C:\\Users\r\nprompt $+$P$G\r\necho on\r\n@popd\r\n@popd\r\n@cd\r\n')).stdout).toBe('C:\\Windows\r\nC:\\\r\n');
  });

  it('%CD% follows the current directory', async () => {
    expect((await batch('cd C:\\Windows\r\necho %CD%\r\n')).stdout).toBe('C:\\Windows\r\n');
  });
});
