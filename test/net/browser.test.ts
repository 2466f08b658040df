// A real browser on the host loads the IIS page through a published port
// (the seeds' first scenario): Debian's chromium, headless, no sandbox, no
// background networking, loopback only. The title is checked in the DOM
// chromium dumps; its screenshot is kept in build/artifacts/net/ (build/
// is gitignored). .ci/run installs chromium where missing.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { useDaemon } from '../daemon/support.js';
import { IIS, freePort, waitForW3svc } from './support.js';

const CHROMIUM = process.env['WINSILO_CHROMIUM'] ?? '/usr/bin/chromium';
const ARTIFACTS = resolve('build/artifacts/net');
const d = useDaemon({ images: [IIS] });

function chromium(args: string[], profile: string): Promise<{ stdout: string; stderr: string }> {
  const flags = [
    '--headless=new',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--no-default-browser-check',
    '--metrics-recording-only',
    `--user-data-dir=${profile}`,
    '--window-size=1280,800',
  ];
  return new Promise((res, rej) => {
    execFile(CHROMIUM, [...flags, ...args], { timeout: 60_000, maxBuffer: 16 * 2 ** 20 }, (err, stdout, stderr) => (err ? rej(Object.assign(err, { stderr })) : res({ stdout, stderr })));
  });
}

describe.skipIf(!existsSync(CHROMIUM))('chromium loads the IIS page through a published port', () => {
  test('the title is "IIS Windows Server"; the screenshot is kept', async () => {
    const port = await freePort();
    expect((await d().docker(['run', '-d', '-p', `${port}:80`, '--name', 'iis-browser', IIS])).code).toBe(0);
    await waitForW3svc(d().docker, 'iis-browser');
    const profile = mkdtempSync(join(tmpdir(), 'winsilo-chromium-'));
    try {
      const url = `http://127.0.0.1:${port}/`;
      const dom = await chromium(['--dump-dom', url], profile);
      expect(dom.stdout).toContain('<title>IIS Windows Server</title>');
      mkdirSync(ARTIFACTS, { recursive: true });
      const shot = join(ARTIFACTS, 'iis-chromium.png');
      rmSync(shot, { force: true });
      await chromium([`--screenshot=${shot}`, url], profile);
      expect(statSync(shot).size).toBeGreaterThan(1000);
    } finally {
      rmSync(profile, { recursive: true, force: true });
      await d().docker(['rm', '-f', 'iis-browser']);
    }
  }, 120_000);
});
