// Images through the real CLI (docker-engine-api.md §3.2, §3.14): images,
// pull (moby's progress lines), inspect, history, tag, rmi.
import { describe, expect, test } from 'vitest';
import { NANOSERVER, SERVERCORE, useDaemon } from './support.js';

const d = useDaemon();

describe('images', () => {
  test('docker images lists the pulled image', async () => {
    const r = await d().docker(['images', '--format', '{{.Repository}} {{.Tag}} {{.ID}}']);
    expect(r.stdout).toMatch(/^mcr\.microsoft\.com\/windows\/nanoserver ltsc2022 [0-9a-f]{12}\n$/);
  });

  test('docker pull streams moby’s progress lines, then the reference', async () => {
    const r = await d().docker(['pull', SERVERCORE]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('ltsc2022: Pulling from windows/servercore');
    expect(lines.filter((l) => l.endsWith(': Pull complete')).length).toBeGreaterThan(0);
    expect(lines.at(-2)).toBe(`Status: Downloaded newer image for ${SERVERCORE}`);
    expect(lines.at(-1)).toBe(SERVERCORE);
    const again = await d().docker(['pull', SERVERCORE]);
    expect(again.stdout).toBe(`ltsc2022: Pulling from windows/servercore\nStatus: Image is up to date for ${SERVERCORE}\n${SERVERCORE}\n`);
  });

  test('a repository the registry does not have: the daemon’s 404 text, exit 1', async () => {
    const r = await d().docker(['pull', 'nosuch/image']);
    expect(r).toEqual({
      code: 1,
      stdout: 'Using default tag: latest\n',
      stderr: "Error response from daemon: pull access denied for nosuch/image, repository does not exist or may require 'docker login': denied: requested access to the resource is denied\n",
    });
  });

  test('image inspect: Windows, amd64, its OS version and layers', async () => {
    const i = JSON.parse((await d().docker(['image', 'inspect', NANOSERVER])).stdout)[0];
    expect(i).toMatchObject({ Os: 'windows', Architecture: 'amd64', RepoTags: [NANOSERVER], RootFS: { Type: 'layers' } });
    expect(i.OsVersion).toMatch(/^10\.0\.20348\.\d+$/);
    expect((await d().docker(['image', 'inspect', 'nosuch'])).stderr).toBe('Error response from daemon: No such image: nosuch\n');
  });

  test('tag adds a name (the CLI sends docker.io/library/…); rmi of one of two tags untags it', async () => {
    expect((await d().docker(['tag', NANOSERVER, 'mynano:v1'])).code).toBe(0);
    expect((await d().docker(['images', 'mynano', '--format', '{{.Repository}}:{{.Tag}}'])).stdout).toBe('mynano:v1\n');
    expect((await d().docker(['run', '--rm', 'mynano:v1', 'say.exe', 'tagged'])).stdout).toBe('tagged\r\n');
    // References as the CLI normalizes them after an auto-pull are folded back to the familiar form (gotcha 7).
    expect((await d().docker(['run', '--rm', 'docker.io/library/mynano:v1', 'say.exe', 'normalized'])).stdout).toBe('normalized\r\n');
    // `docker inspect NAME` falls through to the image when no container has the name.
    expect(JSON.parse((await d().docker(['inspect', 'mynano:v1'])).stdout)[0].RepoTags).toContain('mynano:v1');
    expect(await d().docker(['rmi', 'mynano:v1'])).toEqual({ code: 0, stdout: 'Untagged: mynano:v1\n', stderr: '' });
  });

  test('history lists the layers newest first', async () => {
    const r = await d().docker(['history', '--no-trunc', '--format', '{{.CreatedBy}}', NANOSERVER]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').length).toBeGreaterThan(0);
  });
});
