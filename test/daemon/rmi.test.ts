// `docker rmi` of an image's last name and `docker image prune`, through
// the real CLI, as moby's ImageDelete / ImagesPrune
// (daemon/images/image_delete.go): a name goes first; the image is deleted
// when it was the last; running containers are a conflict no force
// overrides, stopped ones and other names a conflict force overrides; a
// forced untag of a name a running container's image has leaves the image
// dangling, and prune deletes it once nothing uses it.
import { describe, expect, test } from 'vitest';
import { NANOSERVER, useDaemon } from './support.js';

const d = useDaemon();

const idOf = async (ref: string): Promise<string> => (await d().docker(['image', 'inspect', '--format', '{{.Id}}', ref])).stdout.trim();
const cid = async (name: string): Promise<string> => (await d().docker(['inspect', '--format', '{{.Id}}', name])).stdout.trim().slice(0, 12);

describe('rmi and image prune (moby ImageDelete)', () => {
  test('conflicts: the only name of an image a container uses; a running container (cannot be forced); a stopped one (must be forced)', async () => {
    const image = await idOf(NANOSERVER);
    const short = image.slice(7, 19);
    expect((await d().docker(['run', '-d', '--name', 'runner', NANOSERVER, 'idle.exe'])).code).toBe(0);
    expect((await d().docker(['create', '--name', 'stopped', NANOSERVER, 'say.exe'])).code).toBe(0);
    const runner = await cid('runner');
    const stopped = await cid('stopped');

    expect(await d().docker(['rmi', NANOSERVER])).toEqual({
      code: 1,
      stdout: '',
      stderr: `Error response from daemon: conflict: unable to remove repository reference "${NANOSERVER}" (must force) - container ${runner} is using its referenced image ${short}\n`,
    });
    const running = `Error response from daemon: conflict: unable to delete ${short} (cannot be forced) - image is being used by running container ${runner}\n`;
    expect(await d().docker(['rmi', short])).toEqual({ code: 1, stdout: '', stderr: running });
    expect(await d().docker(['rmi', '-f', short])).toEqual({ code: 1, stdout: '', stderr: running });

    await d().docker(['rm', '-f', 'runner']);
    expect(await d().docker(['rmi', short])).toEqual({
      code: 1,
      stdout: '',
      stderr: `Error response from daemon: conflict: unable to delete ${short} (must be forced) - image is being used by stopped container ${stopped}\n`,
    });
    // Nothing was removed by the refusals.
    expect((await d().docker(['images', '--format', '{{.Repository}}:{{.Tag}}'])).stdout).toBe(`${NANOSERVER}\n`);
  });

  test('rmi -f of the last name while a container runs untags it and keeps the image (dangling); prune deletes it once unused', async () => {
    const image = await idOf(NANOSERVER);
    expect((await d().docker(['run', '-d', '--name', 'runner2', NANOSERVER, 'idle.exe'])).code).toBe(0);
    expect(await d().docker(['rmi', '-f', NANOSERVER])).toEqual({ code: 0, stdout: `Untagged: ${NANOSERVER}\n`, stderr: '' });
    expect((await d().docker(['images', '--filter', 'dangling=true', '-q', '--no-trunc'])).stdout).toBe(`${image}\n`);
    // The running container goes on: exec still works in it.
    expect((await d().docker(['exec', 'runner2', 'say.exe', 'still here'])).stdout).toBe('still here\r\n');

    // Used images are never pruned.
    expect((await d().docker(['image', 'prune', '-f'])).stdout).toBe('Total reclaimed space: 0B\n');
    await d().docker(['rm', '-f', 'runner2', 'stopped']);
    const pruned = await d().docker(['image', 'prune', '-f']);
    expect(pruned.code).toBe(0);
    const lines = pruned.stdout.trim().split('\n');
    expect(lines[0]).toBe('Deleted Images:');
    expect(lines[1]).toBe(`deleted: ${image}`);
    expect(lines.slice(2, -2).every((l) => /^deleted: sha256:[0-9a-f]{64}$/.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(/^Total reclaimed space: [\d.]+[kMG]?B$/);
    expect((await d().docker(['images', '-a', '-q'])).stdout).toBe('');
  });

  test('rmi of an unused image’s last name deletes it: Untagged, Deleted (image, then its layers), events; a pull makes its layers again', async () => {
    const pull = await d().docker(['pull', NANOSERVER]);
    expect(pull.stdout).toContain('Pull complete');
    const image = await idOf(NANOSERVER);
    const since = String(Date.now() / 1000);
    const r = await d().docker(['rmi', NANOSERVER]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.slice(0, 2)).toEqual([`Untagged: ${NANOSERVER}`, `Deleted: ${image}`]);
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.slice(2).every((l) => /^Deleted: sha256:[0-9a-f]{64}$/.test(l))).toBe(true);
    expect(await d().docker(['rmi', NANOSERVER])).toEqual({ code: 1, stdout: '', stderr: `Error response from daemon: No such image: ${NANOSERVER}\n` });
    const events = await d().docker(['events', '--since', since, '--until', String(Date.now() / 1000 + 1), '--filter', 'type=image', '--format', '{{.Action}} {{.Actor.ID}}']);
    expect(events.stdout).toBe(`untag ${image}\ndelete ${image}\n`);
    // Back for the rest of the suite, downloaded again.
    expect((await d().docker(['pull', NANOSERVER])).stdout).toContain('Pull complete');
    expect((await d().docker(['run', '--rm', NANOSERVER, 'say.exe', 'again'])).stdout).toBe('again\r\n');
  });

  test('rmi by id of an image with several names needs force (referenced in multiple repositories); -f removes every name', async () => {
    const image = await idOf(NANOSERVER);
    await d().docker(['tag', NANOSERVER, 'other:one']);
    const short = image.slice(7, 19);
    expect((await d().docker(['rmi', short])).stderr).toBe(`Error response from daemon: conflict: unable to delete ${short} (must be forced) - image is referenced in multiple repositories\n`);
    const r = await d().docker(['rmi', '-f', short]);
    expect(r.stdout.trim().split('\n').slice(0, 3).sort()).toEqual([`Deleted: ${image}`, `Untagged: ${NANOSERVER}`, 'Untagged: other:one'].sort());
    expect((await d().docker(['images', '-q'])).stdout).toBe('');
  });
});
