// pflag's parsing rules as docker run applies them (spf13/pflag v1.0.10
// flag.go, errors.go; docker/cli run.go SetInterspersed(false)).
import { describe, expect, test } from 'vitest';
import { DROPPED, FlagError, FlagSet, HelpRequested } from '../../src/cli/flags.js';
import { parseRunArgs, runFlags } from '../../src/cli/run.js';

const env: Record<string, string> = { FROM_HOST: 'host value', EMPTY: '' };
const lookup = (n: string): string | undefined => env[n];
const parse = (...args: string[]) => runFlags(lookup).parse(args);
const error = (...args: string[]): string => {
  try {
    parse(...args);
  } catch (e) {
    if (e instanceof FlagError) return e.message;
    throw e;
  }
  throw new Error('parsed without error');
};

describe('flags stop at the first positional (interspersed off for run)', () => {
  test('everything after IMAGE belongs to the command, flags included', () => {
    const p = parse('--rm', 'img', 'cmd', '/c', '--rm', '-e', 'X=1', '--', '-it');
    expect(p.args).toEqual(['img', 'cmd', '/c', '--rm', '-e', 'X=1', '--', '-it']);
    expect(p.values.get('rm')).toBe(true);
    expect(p.values.has('env')).toBe(false);
  });

  test('"--" ends the flags; the next argument is IMAGE even if it starts with a dash', () => {
    expect(parse('-d', '--', '-weird', 'x').args).toEqual(['-weird', 'x']);
  });

  test('a lone "-" is a positional', () => {
    expect(parse('-', 'x').args).toEqual(['-', 'x']);
  });

  test('no arguments at all parse to nothing', () => {
    expect(parse().args).toEqual([]);
  });
});

describe('boolean flags', () => {
  test('combined shorthands -it and -dit', () => {
    const a = parse('-it', 'img');
    expect([a.values.get('interactive'), a.values.get('tty'), a.values.get('detach')]).toEqual([true, true, undefined]);
    const b = parse('-dit', 'img');
    expect([b.values.get('detach'), b.values.get('interactive'), b.values.get('tty')]).toEqual([true, true, true]);
  });

  test('--rm=false and -d=false take their value inline; a bool never takes the next argument', () => {
    expect(parse('--rm=false', 'img').values.get('rm')).toBe(false);
    expect(parse('-d=false', 'img').values.get('detach')).toBe(false);
    const p = parse('--rm', 'false', 'x');
    expect(p.values.get('rm')).toBe(true);
    expect(p.args).toEqual(['false', 'x']);
  });

  test("bool values are strconv.ParseBool's: 1, t, T, TRUE, true, True and their false twins", () => {
    for (const t of ['1', 't', 'T', 'TRUE', 'true', 'True']) expect(parse(`--rm=${t}`, 'i').values.get('rm')).toBe(true);
    for (const f of ['0', 'f', 'F', 'FALSE', 'false', 'False']) expect(parse(`--rm=${f}`, 'i').values.get('rm')).toBe(false);
  });

  test('a bad bool value is an invalid argument with strconv\'s text', () => {
    expect(error('--rm=yes', 'img')).toBe('invalid argument "yes" for "--rm" flag: strconv.ParseBool: parsing "yes": invalid syntax');
    expect(error('-d=maybe', 'img')).toBe('invalid argument "maybe" for "-d, --detach" flag: strconv.ParseBool: parsing "maybe": invalid syntax');
  });
});

describe('value flags: every spelling pflag accepts', () => {
  test.each([
    [['-e', 'K=V'], ['K=V']],
    [['--env', 'K=V'], ['K=V']],
    [['--env=K=V'], ['K=V']],
    [['-eK=V'], ['K=V']],
    [['-e=K=V'], ['K=V']],
    [['-e', 'K='], ['K=']],
    [['-e', 'K=a=b'], ['K=a=b']],
    [['-itd', '-e', 'A=1', '-e', 'B=2', '--env', 'C=3'], ['A=1', 'B=2', 'C=3']],
    [['-ie', 'K=V'], ['K=V']],
    [['-ieK=V'], ['K=V']],
  ])('%j gives env %j', (args, want) => {
    expect(parse(...args, 'img').values.get('env')).toEqual(want);
  });

  test('-e NAME takes NAME from winsilo\'s environment, keeps an empty value, and drops an unset name', () => {
    expect(parse('-e', 'FROM_HOST', '-e', 'EMPTY', '-e', 'NOT_SET', '-e', 'X=1', 'img').values.get('env')).toEqual(['FROM_HOST=host value', 'EMPTY=', 'X=1']);
    expect(DROPPED).not.toContain('=');
  });

  test('-e with an empty name is refused as docker refuses it', () => {
    expect(error('-e', '=x', 'img')).toBe('invalid argument "=x" for "-e, --env" flag: invalid environment variable: =x');
    expect(error('--env=', 'img')).toBe('invalid argument "" for "-e, --env" flag: invalid environment variable: ');
  });

  test('a value flag takes the next argument even when it looks like a flag', () => {
    const p = parse('--name', '-d', 'img');
    expect(p.values.get('name')).toBe('-d');
    expect(p.values.get('detach')).toBeUndefined();
    expect(parse('-w', '--rm', 'img').values.get('workdir')).toBe('--rm');
  });

  test('repeated -v and -e accumulate in order; a repeated string flag keeps the last', () => {
    const p = parse('-v', '/a:C:\\a', '--volume=/b:C:\\b', '-v/c:C:\\c', '--name', 'one', '--name', 'two', 'img');
    expect(p.values.get('volume')).toEqual(['/a:C:\\a', '/b:C:\\b', '/c:C:\\c']);
    expect(p.values.get('name')).toBe('two');
  });

  test('--name= sets an empty name', () => {
    expect(parse('--name=', 'img').values.get('name')).toBe('');
  });

  test('-h is --hostname in run (docker has no -h help there)', () => {
    expect(parse('-h', 'box', 'img').values.get('hostname')).toBe('box');
  });

  test('-c is --cpu-shares; int64 flags read Go integer syntax (base prefixes, underscores)', () => {
    expect(parse('-c', '512', 'img').values.get('cpu-shares')).toBe(512n);
    expect(parse('--cpu-count=0x10', 'img').values.get('cpu-count')).toBe(16n);
    expect(parse('--cpu-count=010', 'img').values.get('cpu-count')).toBe(8n);
    expect(parse('--cpu-count=1_000', 'img').values.get('cpu-count')).toBe(1000n);
    expect(parse('--cpu-percent', '-5', 'img').values.get('cpu-percent')).toBe(-5n);
  });

  test('--memory and -m read go-units RAM sizes', () => {
    expect(parse('-m', '512m', 'img').values.get('memory')).toBe(512n * 1024n * 1024n);
    expect(parse('--memory=2g', 'img').values.get('memory')).toBe(2n * 1024n ** 3n);
    // Beyond 2^53 the size is a float in go-units too; parsing must not fail on it.
    expect(parse('-m', '9999999p', 'img').values.get('memory')).toBe(BigInt(9999999 * 1024 ** 5));
  });
});

describe('flag errors are pflag\'s texts', () => {
  test.each([
    [['--foo', 'img'], 'unknown flag: --foo'],
    [['--foo=bar', 'img'], 'unknown flag: --foo'],
    [['-x', 'img'], "unknown shorthand flag: 'x' in -x"],
    // The rest of the group from the unknown letter on.
    [['-ixt', 'img'], "unknown shorthand flag: 'x' in -xt"],
    [['-l', 'a=b', 'img'], "unknown shorthand flag: 'l' in -l"],
    [['--name'], 'flag needs an argument: --name'],
    [['-e'], "flag needs an argument: 'e' in -e"],
    [['-ie'], "flag needs an argument: 'e' in -e"],
    [['-m', 'abc', 'img'], 'invalid argument "abc" for "-m, --memory" flag: invalid size: \'abc\''],
    [['--memory=1x', 'img'], 'invalid argument "1x" for "-m, --memory" flag: invalid suffix: \'x\''],
    [['--cpu-count', 'two', 'img'], 'invalid argument "two" for "--cpu-count" flag: strconv.ParseInt: parsing "two": invalid syntax'],
    [['--cpu-count=99999999999999999999', 'img'], 'invalid argument "99999999999999999999" for "--cpu-count" flag: strconv.ParseInt: parsing "99999999999999999999": value out of range'],
    [['-c', '1__0', 'img'], 'invalid argument "1__0" for "-c, --cpu-shares" flag: strconv.ParseInt: parsing "1__0": invalid syntax'],
    [['---x', 'img'], 'bad flag syntax: ---x'],
    [['--=x', 'img'], 'bad flag syntax: --=x'],
  ])('%j → %s', (args, message) => {
    expect(error(...args)).toBe(message);
  });

  test('the first error wins and nothing after it is looked at', () => {
    expect(error('--foo', '--bar', 'img')).toBe('unknown flag: --foo');
  });

  test('a non-ASCII shorthand is reported by its first byte, as Go prints rune(byte)', () => {
    expect(error('-é', 'img')).toBe("unknown shorthand flag: 'Ã' in -é");
  });

  test('quotes in values are escaped as Go\'s %q does', () => {
    expect(error('--cpu-count', 'a"b\tc', 'img')).toBe('invalid argument "a\\"b\\tc" for "--cpu-count" flag: strconv.ParseInt: parsing "a\\"b\\tc": invalid syntax');
  });

  test('-test.* shorthands are ignored as pflag ignores go test flags', () => {
    expect(parse('-test.v', 'img').args).toEqual(['img']);
  });
});

describe('--help', () => {
  test('run defines --help itself: it parses as a bool and the command asks for help', () => {
    expect(parseRunArgs(['--help'], lookup)).toBe('help');
    expect(parseRunArgs(['--rm', '--help', 'img'], lookup)).toBe('help');
  });

  test('after IMAGE, --help is the command\'s', () => {
    const r = parseRunArgs(['img', '--help'], lookup);
    expect(r).not.toBe('help');
    expect(r !== 'help' && r.create.cmd).toEqual(['--help']);
  });

  test('a flag set without a help flag raises HelpRequested for --help and -h', () => {
    const fs = new FlagSet([{ name: 'all', shorthand: 'a', type: 'bool', usage: '' }], true);
    expect(() => fs.parse(['--help'])).toThrow(HelpRequested);
    expect(() => fs.parse(['-ah'])).toThrow(HelpRequested);
  });
});
