// Help and version in docker's layout (docker/cli cli/cobra.go
// usageTemplate, pflag FlagUsagesWrapped), and the top level's dispatch.
import { describe, expect, test } from 'vitest';
import { runMain } from '../../src/cli/main.js';
import { FlagSet } from '../../src/cli/flags.js';
import { gitShortCommit, packageRoot, versionLine } from '../../src/cli/version.js';
import { testContext } from './context.js';

const noHost = async (): Promise<never> => {
  throw new Error('no engine needed');
};
const main = async (args: string[], columns?: number) => {
  const ctx = testContext(noHost);
  if (columns !== undefined) ctx.stdout.columns = columns;
  const code = await runMain(args, ctx);
  return { code, out: ctx.stdout.text, err: ctx.stderr.text };
};

describe('winsilo --help', () => {
  test('usage line, description, commands with cobra\'s padding, global options, the pointer to command help', async () => {
    const r = await main(['--help']);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines.slice(0, 3)).toEqual(['Usage:  winsilo [OPTIONS] COMMAND', '', 'A Windows Server container host that runs anywhere Node runs']);
    expect(lines).toContain('Common Commands:');
    expect(lines).toContain('  run         Create and run a new container from an image');
    expect(lines).toContain('  images      List images');
    expect(lines).toContain('Commands:');
    expect(lines).toContain('  start       Open an interactive cmd.exe in a new Server Core container (in memory, removed at exit)');
    expect(lines).toContain('Global Options:');
    expect(lines).toContain('  -v, --version   Print version information and quit');
    expect(r.out.endsWith("\nRun 'winsilo COMMAND --help' for more information on a command.\n")).toBe(true);
    // The help flag is hidden, as docker's root hides it.
    expect(r.out).not.toMatch(/^\s+-h, --help/m);
  });

  test('-h, help and help run', async () => {
    expect((await main(['-h'])).out).toBe((await main(['--help'])).out);
    expect((await main(['help'])).out).toBe((await main(['--help'])).out);
    expect((await main(['help', 'run'])).out).toBe((await main(['run', '--help'])).out);
    const unknown = await main(['help', 'nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toBe('unknown help topic: nope\n');
  });

  test('--help wins over --version, as cobra checks it first', async () => {
    expect((await main(['--version', '--help'])).out).toMatch(/^Usage:/);
  });
});

describe('winsilo run --help', () => {
  test('usage, description, options sorted by long name with aligned descriptions', async () => {
    const r = await main(['run', '--help']);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines.slice(0, 5)).toEqual(['Usage:  winsilo run [OPTIONS] IMAGE [COMMAND] [ARG...]', '', 'Create and run a new container from an image', '', 'Options:']);
    const options = lines.slice(5).filter((l) => /^ {2}(-|\s{4}--)/.test(l));
    const names = options.map((l) => /--([a-z-]+)/.exec(l)![1]);
    expect(names).toEqual([...names].sort());
    expect(lines).toContain('  -d, --detach              Run container in background and print container ID');
    expect(lines).toContain('  -e, --env list            Set environment variables');
    expect(lines).toContain('  -m, --memory bytes        Memory limit');
    expect(lines).toContain('      --isolation string    Container isolation technology');
    expect(lines).toContain('  -c, --cpu-shares int      CPU shares (relative weight)');
    expect(lines).toContain('      --help                Print usage');
    // String defaults are quoted; zero values are not shown.
    expect(r.out).toContain('(default "missing")');
    expect(r.out).not.toContain('(default 0)');
  });

  test('long descriptions wrap at the terminal width − 1 (79 without a terminal), indented under the column', async () => {
    const narrow = (await main(['run', '--help'])).out.split('\n');
    const rm = narrow.findIndex((l) => l.startsWith('      --rm'));
    expect(narrow[rm]).toBe('      --rm                  Automatically remove the container and its');
    expect(narrow[rm + 1]).toBe('                            associated anonymous volumes when it exits');
    const wide = (await main(['run', '--help'], 200)).out.split('\n');
    expect(wide).toContain('      --rm                  Automatically remove the container and its associated anonymous volumes when it exits');
  });

  test("pflag's listing: a back-quoted word names the value; bools have none", () => {
    const fs = new FlagSet(
      [
        { name: 'format', type: 'string', usage: 'Pretty-print using a Go `template`' },
        { name: 'all', shorthand: 'a', type: 'bool', usage: 'Show all' },
      ],
      true,
    );
    // Go's Fprintln(name, padding, usage): one space, the padding to the longest name, one space.
    expect(fs.usages(0)).toBe(`  -a, --all${' '.repeat(15)}Show all\n      --format template${' '.repeat(3)}Pretty-print using a Go template\n`);
  });
});

describe('version', () => {
  test('the package version and the checkout\'s short commit', () => {
    expect(versionLine()).toMatch(/^winsilo version 0\.1\.0, build ([0-9a-f]{7}|dev)$/);
    const sha = gitShortCommit(packageRoot());
    if (sha !== undefined) expect(versionLine().endsWith(`, build ${sha}`)).toBe(true);
    expect(gitShortCommit('/nonexistent')).toBeUndefined();
  });

  test('-v and --version print it to stdout', async () => {
    const r = await main(['-v']);
    expect(r).toEqual({ code: 0, out: versionLine() + '\n', err: '' });
  });
});

describe('top-level errors', () => {
  test('an unknown command: exit 1', async () => {
    expect(await main(['frob'])).toEqual({ code: 1, out: '', err: "winsilo: unknown command: winsilo frob\n\nRun 'winsilo --help' for more information\n" });
  });

  test('an unknown global flag: exit 125 with the root usage', async () => {
    expect(await main(['--debug', 'run'])).toEqual({ code: 125, out: '', err: "unknown flag: --debug\n\nUsage:  winsilo [OPTIONS] COMMAND\n\nRun 'winsilo --help' for more information\n" });
  });

  test('images takes no REPOSITORY filter yet, and at most one argument', async () => {
    const two = await main(['images', 'a', 'b']);
    expect(two.code).toBe(1);
    expect(two.err).toBe("winsilo: 'winsilo images' requires at most 1 argument\n\nUsage:  winsilo images [OPTIONS] [REPOSITORY[:TAG]]\n\nRun 'winsilo images --help' for more information\n");
    expect((await main(['images', '--bogus'])).err).toBe("unknown flag: --bogus\n\nUsage:  winsilo images [OPTIONS] [REPOSITORY[:TAG]]\n\nRun 'winsilo images --help' for more information\n");
  });
});
