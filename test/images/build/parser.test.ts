// The Dockerfile's lines as moby v28.2.2's parser reads them (buildkit
// frontend/dockerfile/parser): directives, continuations, flags, forms.
import { describe, expect, test } from 'vitest';
import { parseDockerfile } from '../../../src/images/build/parser.js';
import { toProgram } from '../../../src/images/build/instructions.js';
import { BuildError } from '../../../src/images/build/errors.js';

const parse = (text: string) => parseDockerfile(text);
const error = (text: string): string => {
  try {
    toProgram(parse(text));
  } catch (e) {
    if (e instanceof BuildError) return e.message;
    throw e;
  }
  return '';
};

describe('parser directives', () => {
  test('# escape=` makes the backtick the escape and continuation token (Windows Dockerfiles)', () => {
    const r = parse('# escape=`\nFROM x\nRUN dir C:\\Windows `\n    && echo done\n');
    expect(r.escapeToken).toBe('`');
    expect(r.nodes[1]!.original).toBe('RUN dir C:\\Windows     && echo done');
  });
  test('a backslash at the end of a line continues it by default', () => {
    const r = parse('FROM x\nRUN echo a \\\n  b\n');
    expect(r.nodes[1]!.original).toBe('RUN echo a   b');
  });
  test('a directive after the first other line is only a comment', () => {
    const r = parse('FROM x\n# escape=`\nRUN a \\\nb\n');
    expect(r.escapeToken).toBe('\\');
    expect(r.nodes[1]!.original).toBe('RUN a b');
  });
  test('# syntax= is accepted and ignored (v28.2.2)', () => {
    expect(parse('# syntax=docker/dockerfile:1\nFROM x\n').nodes).toHaveLength(1);
  });
  test('an escape directive twice is moby’s error', () => {
    expect(() => parse('# escape=`\n# escape=\\\nFROM x\n')).toThrow('only one escape parser directive can be used');
  });
  test('an escape token other than ` or \\ is refused', () => {
    expect(() => parse('# escape=x\nFROM x\n')).toThrow("invalid escape token 'x' does not match ` or \\");
  });
  test('comment lines inside a continuation are skipped; empty ones warn', () => {
    const r = parse('FROM x\nRUN a \\\n# note\n\n  b\n');
    expect(r.nodes[1]!.original).toBe('RUN a   b');
    expect(r.warnings).toEqual(['[WARNING]: Empty continuation line found in: RUN a   b']);
  });
  test('a file with only comments has no instructions', () => {
    expect(() => parse('# hello\n\n')).toThrow('file with no instructions');
  });
});

describe('instruction forms', () => {
  test('exec form is JSON; shell form keeps the text', () => {
    const r = parse('FROM x\nRUN ["cmd", "/c", "echo hi"]\nCMD echo  hi\n');
    expect(r.nodes[1]).toMatchObject({ json: true, args: ['cmd', '/c', 'echo hi'] });
    expect(r.nodes[2]).toMatchObject({ json: false, args: ['echo  hi'] });
  });
  test('a JSON array with a non-string is moby’s error', () => {
    expect(() => parse('FROM x\nCMD ["a", 1]\n')).toThrow('when using JSON array syntax, arrays must be comprised of strings only');
  });
  test('flags come off the front: COPY --from=build', () => {
    const r = parse('# escape=`\nFROM x\nCOPY --from=build C:\\out C:\\app\\\n');
    expect(r.nodes[1]).toMatchObject({ flags: ['--from=build'], args: ['C:\\out', 'C:\\app\\'] });
  });
  test('without the escape directive a trailing \\ (C:\\app\\) continues the line, as on Windows', () => {
    const r = parse('FROM x\nCOPY a C:\\app\\\nRUN b\n');
    expect(r.nodes.map((n) => n.original)).toEqual(['FROM x', 'COPY a C:\\appRUN b']);
  });
  test('ENV key=value pairs keep quotes for the lexer; the legacy form takes the rest', () => {
    expect(parse('FROM x\nENV A="b c" D=e\n').nodes[1]!.args).toEqual(['A', '"b c"', 'D', 'e']);
    expect(parse('FROM x\nENV PATH C:\\a b\n').nodes[1]!.args).toEqual(['PATH', 'C:\\a b']);
  });
});

describe('parse errors in moby’s words', () => {
  test('unknown instruction, with a suggestion', () => {
    expect(error('FROM x\nFOO bar\n')).toBe('dockerfile parse error on line 2: unknown instruction: FOO (did you mean FROM?)');
    expect(error('FROM x\nCOPPY a b\n')).toBe('dockerfile parse error on line 2: unknown instruction: COPPY (did you mean COPY?)');
    expect(error('FROM x\nXYZZY a\n')).toBe('dockerfile parse error on line 2: unknown instruction: XYZZY');
  });
  test('an instruction before FROM', () => {
    expect(error('RUN a\n')).toBe('no build stage in current context');
  });
  test('argument counts', () => {
    expect(error('FROM x\nCOPY a\n')).toBe('dockerfile parse error on line 2: COPY requires at least two arguments, but only one was provided. Destination could not be determined');
    expect(error('FROM a b\n')).toBe('dockerfile parse error on line 1: FROM requires either one or three arguments');
    expect(error('FROM x\nWORKDIR\n')).toBe('dockerfile parse error on line 2: WORKDIR requires exactly one argument');
    expect(error('FROM x AS 1st\n')).toBe('dockerfile parse error on line 1: invalid name for build stage: "1st", name can\'t start with a number or contain symbols');
  });
  test('unknown flags', () => {
    expect(error('FROM x\nCOPY --nope=1 a b\n')).toBe('dockerfile parse error on line 2: unknown flag: nope');
  });
  test('ENV without a value is the line parser’s error (the builder adds "failed to parse Dockerfile: ")', () => {
    expect(error('FROM x\nENV A\n')).toBe('ENV must have two arguments');
  });
});
