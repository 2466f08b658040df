// Pull progress as the docker CLI renders the engine's JSON messages
// (moby client/pkg/jsonmessage) and the order moby's pull sends them in.
import { describe, expect, test } from 'vitest';
import { JsonMessageRenderer, pullMessages, type JsonMessage } from '../../src/cli/progress.js';

const render = (messages: JsonMessage[], terminal: boolean): string => {
  let out = '';
  const r = new JsonMessageRenderer((s) => (out += s), terminal);
  for (const m of messages) r.render(m);
  return out;
};

const A = 'sha256:' + 'a'.repeat(64);
const B = 'sha256:' + 'b'.repeat(64);
const C = 'sha256:' + 'c'.repeat(64);
const D = 'sha256:' + 'd'.repeat(64);
const E = 'sha256:' + 'e'.repeat(64);
const a = 'a'.repeat(12);
const b = 'b'.repeat(12);

describe('rendering', () => {
  test('not a terminal: one line per message; messages with byte counts are skipped', () => {
    const text = render(
      [
        { id: 'ltsc2022', status: 'Pulling from windows/servercore' },
        { id: a, status: 'Pulling fs layer', progress: {} },
        { id: a, status: 'Downloading', progress: { current: 10, total: 100 } },
        { id: a, status: 'Pull complete', progress: {} },
        { status: 'Status: Downloaded newer image for x' },
      ],
      false,
    );
    expect(text).toBe(`ltsc2022: Pulling from windows/servercore\n${a}: Pulling fs layer\n${a}: Pull complete\nStatus: Downloaded newer image for x\n`);
  });

  test('a terminal: each layer keeps its line, rewritten in place with cursor moves and an erased line', () => {
    const text = render(
      [
        { id: a, status: 'Pulling fs layer', progress: {} },
        { id: b, status: 'Pulling fs layer', progress: {} },
        { id: a, status: 'Pull complete', progress: {} },
        { status: 'Digest: sha256:x' },
      ],
      true,
    );
    expect(text).toBe(
      `\n\x1b[1A\x1b[2K\r${a}: Pulling fs layer \r\x1b[1B` +
        `\n\x1b[1A\x1b[2K\r${b}: Pulling fs layer \r\x1b[1B` +
        `\x1b[2A\x1b[2K\r${a}: Pull complete \r\x1b[2B` +
        'Digest: sha256:x\n',
    );
  });
});

describe("moby's pull sequence", () => {
  test('new layers: fs layer, Waiting beyond three downloads, checksum and download, then Pull complete in order', () => {
    const m = pullMessages({ tagOrDigest: 'ltsc2022', repositoryPath: 'windows/servercore', layers: [A, B, C, D].map((digest) => ({ digest, existed: false })), manifestDigest: 'sha256:m', reference: 'r:t', downloaded: true });
    expect(render(m, false).split('\n')).toEqual([
      'ltsc2022: Pulling from windows/servercore',
      'aaaaaaaaaaaa: Pulling fs layer',
      'bbbbbbbbbbbb: Pulling fs layer',
      'cccccccccccc: Pulling fs layer',
      'dddddddddddd: Pulling fs layer',
      'dddddddddddd: Waiting',
      'aaaaaaaaaaaa: Verifying Checksum',
      'aaaaaaaaaaaa: Download complete',
      'bbbbbbbbbbbb: Verifying Checksum',
      'bbbbbbbbbbbb: Download complete',
      'cccccccccccc: Verifying Checksum',
      'cccccccccccc: Download complete',
      'dddddddddddd: Verifying Checksum',
      'dddddddddddd: Download complete',
      'aaaaaaaaaaaa: Pull complete',
      'bbbbbbbbbbbb: Pull complete',
      'cccccccccccc: Pull complete',
      'dddddddddddd: Pull complete',
      'Digest: sha256:m',
      'Status: Downloaded newer image for r:t',
      '',
    ]);
  });

  test('layers already here say so and are not pulled; an image already here is up to date', () => {
    const m = pullMessages({ tagOrDigest: 't', repositoryPath: 'p', layers: [{ digest: A, existed: true }, { digest: E, existed: false }], manifestDigest: undefined, reference: 'r:t', downloaded: true });
    expect(render(m, false)).toBe(`t: Pulling from p\n${a}: Already exists\n${'e'.repeat(12)}: Pulling fs layer\n${'e'.repeat(12)}: Verifying Checksum\n${'e'.repeat(12)}: Download complete\n${'e'.repeat(12)}: Pull complete\nStatus: Downloaded newer image for r:t\n`);
    const same = pullMessages({ tagOrDigest: 't', repositoryPath: 'p', layers: [{ digest: A, existed: true }], manifestDigest: 'sha256:m', reference: 'r:t', downloaded: false });
    expect(render(same, false)).toBe('t: Pulling from p\nDigest: sha256:m\nStatus: Image is up to date for r:t\n');
  });
});
