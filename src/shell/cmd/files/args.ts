/**
 * How cmd's internal file commands split their argument text.
 *
 * Each internal command parses the raw text after its name itself
 * (builtin.ts). For the file commands the rules are (observed behaviour,
 * documented in ss64's pages on the commands, ReactOS cmd's `split` and
 * `getSwitches`):
 *  - Tokens are separated by spaces, tabs, commas, semicolons and `=`
 *    outside double quotes (cmd's "standard delimiters").
 *  - A `/` outside quotes always starts a switch, even glued to a name
 *    (`dir/b/s`, `dir C:\x/s`): each switch runs to the next delimiter or `/`.
 *  - Quotes group, and are removed from operands (`"Program Files"`).
 */

export interface Token {
  /** The token as typed (quotes kept), for commands that look inside (copy's `+`). */
  raw: string;
  /** True for `/x` switches. */
  isSwitch: boolean;
}

const DELIMS = ' \t,;=';

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let cur = '';
  let isSwitch = false;
  let quoted = false;
  const flush = () => {
    if (cur.length > 0) out.push({ raw: cur, isSwitch });
    cur = '';
    isSwitch = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      quoted = !quoted;
      cur += c;
      continue;
    }
    if (!quoted && DELIMS.includes(c)) {
      flush();
      continue;
    }
    if (!quoted && c === '/') {
      flush();
      isSwitch = true;
      cur = '/';
      continue;
    }
    cur += c;
  }
  flush();
  return out;
}

/** Removes double quotes (cmd drops every quote of a file name operand). */
export function unquote(s: string): string {
  return s.replace(/"/g, '');
}

export interface ParsedArgs {
  /** Switch texts without the slash, as typed (`b`, `a:-d`, `-y`). */
  switches: string[];
  /** Operands with quotes removed. */
  operands: string[];
  /** Operands as typed. */
  rawOperands: string[];
}

export function parseArgs(text: string): ParsedArgs {
  const switches: string[] = [];
  const operands: string[] = [];
  const rawOperands: string[] = [];
  for (const t of tokenize(text)) {
    if (t.isSwitch) switches.push(t.raw.slice(1));
    else {
      operands.push(unquote(t.raw));
      rawOperands.push(t.raw);
    }
  }
  return { switches, operands, rawOperands };
}
