/**
 * Command lines. A Windows process receives one string, not an argv: every
 * program splits it itself. commandLineToArgv is CommandLineToArgvW
 * (shell32), the splitter most programs use; argvToCommandLine builds a
 * string that it splits back into the same arguments.
 *
 * CommandLineToArgvW's rules (Microsoft Learn "CommandLineToArgvW function"
 * and "Parsing C command-line arguments"; the exact quote-run behaviour is
 * Wine's shell32 CommandLineToArgvW, whose tests run against Windows):
 *  - argv[0], the program name, is special: if it starts with `"` it ends at
 *    the next `"`, whatever comes between; otherwise at the first white-space
 *    character. Backslashes and quotes inside it are not interpreted.
 *  - Later arguments are separated by spaces and tabs outside quotes.
 *  - 2n backslashes + `"` → n backslashes, and the quote opens or closes a
 *    quoted part; 2n+1 backslashes + `"` → n backslashes and a literal `"`;
 *    backslashes not followed by `"` are literal.
 *  - A run of quotes counts together with the quote that opened the quoted
 *    part: (1+)3n quotes → n literal quotes, still quoted; (1+)3n+1 → n quotes
 *    and the quoted part closes; (1+)3n+2 → n+1 quotes and it closes. So
 *    `"a""b"` is `a"b`, but `"a"" b"` is two arguments, `a"` and `b` (the
 *    Visual C++ 2008+ runtime, by contrast, would give one: `a" b`).
 *  - An empty command line gives one argument, the program's own path.
 */

const isBlank = (c: string) => c === ' ' || c === '\t';
// C isspace: space, \t, \n, \v, \f, \r.
const isSpace = (c: string) => c === ' ' || (c >= '\t' && c <= '\r');

/**
 * CommandLineToArgvW. `modulePath` is what an empty command line yields
 * (GetModuleFileNameW of the calling program).
 */
export function commandLineToArgv(commandLine: string, modulePath = ''): string[] {
  if (commandLine.length === 0) return [modulePath];
  const argv: string[] = [];
  const n = commandLine.length;
  let i = 0;
  // argv[0]: the executable path.
  if (commandLine[0] === '"') {
    i = 1;
    let end = commandLine.indexOf('"', 1);
    if (end < 0) end = n;
    argv.push(commandLine.slice(1, end));
    i = end < n ? end + 1 : n;
  } else {
    while (i < n && !isSpace(commandLine[i]!)) i++;
    argv.push(commandLine.slice(0, i));
    if (i < n) i++;
  }
  while (i < n && isBlank(commandLine[i]!)) i++;
  if (i >= n) return argv;

  let arg = '';
  let quoted = 0; // Wine's qcount: 0 outside quotes, 1 inside
  let backslashes = 0;
  while (i < n) {
    const c = commandLine[i]!;
    if (isBlank(c) && quoted === 0) {
      argv.push(arg);
      arg = '';
      backslashes = 0;
      while (i < n && isBlank(commandLine[i]!)) i++;
      if (i >= n) return argv;
    } else if (c === '\\') {
      arg += c;
      backslashes++;
      i++;
    } else if (c === '"') {
      if ((backslashes & 1) === 0) {
        // 2n backslashes: n of them stay, the quote is a delimiter.
        arg = arg.slice(0, arg.length - backslashes / 2);
        quoted++;
      } else {
        // 2n+1 backslashes: n of them, then a literal quote.
        arg = arg.slice(0, arg.length - (backslashes + 1) / 2) + '"';
      }
      i++;
      backslashes = 0;
      while (i < n && commandLine[i] === '"') {
        if (++quoted === 3) {
          arg += '"';
          quoted = 0;
        }
        i++;
      }
      if (quoted === 2) quoted = 0;
    } else {
      arg += c;
      backslashes = 0;
      i++;
    }
  }
  argv.push(arg);
  return argv;
}

/**
 * Quotes one argument so that CommandLineToArgvW (and the Visual C++
 * runtime) give it back unchanged: bare when it has no space, tab, newline,
 * vertical tab or quote; otherwise in quotes, with each quote escaped and
 * the backslashes before a quote (or before the closing quote) doubled.
 */
export function quoteArgument(arg: string): string {
  if (arg.length > 0 && !/[ \t\n\v"]/.test(arg)) return arg;
  let out = '"';
  let backslashes = 0;
  for (const c of arg) {
    if (c === '\\') {
      backslashes++;
      continue;
    }
    if (c === '"') {
      out += '\\'.repeat(backslashes * 2 + 1) + '"';
    } else {
      out += '\\'.repeat(backslashes) + c;
    }
    backslashes = 0;
  }
  return out + '\\'.repeat(backslashes * 2) + '"';
}

/**
 * A command line whose CommandLineToArgvW split is `argv`. argv[0] is
 * quoted only when it contains white space (it cannot contain a quote: the
 * program-name rule has no escape).
 */
export function argvToCommandLine(argv: readonly string[]): string {
  if (argv.length === 0) return '';
  const first = argv[0]!;
  const head = first.length === 0 || /\s/.test(first) ? `"${first}"` : first;
  return [head, ...argv.slice(1).map(quoteArgument)].join(' ');
}
