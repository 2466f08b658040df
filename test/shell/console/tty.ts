// A container started with a console (docker run -it) on the shell's test
// host, its output rendered by a headless xterm: tests type keys and read
// the screen's text and cell colours, as a user would see them.
import type { PipeWriter } from '../../../src/kernel/process/pipe.js';
import { SERVERCORE, shellHost } from '../support.js';
import { Screen } from './support.js';

export interface TtyOptions {
  cmd?: string[];
  rows?: number;
  columns?: number;
}

export interface Tty {
  readonly screen: Screen;
  type(keys: string): Promise<void>;
  /** Waits until `check` holds on a settled screen (bounded by output: fails when the container's output ends first). */
  until(check: () => boolean, what: string): Promise<void>;
  /** The exit code, once the container's main process ends. */
  wait(): Promise<number>;
  remove(): Promise<void>;
}

export async function tty(options: TtyOptions = {}): Promise<Tty> {
  const rows = options.rows ?? 25;
  const columns = options.columns ?? 80;
  const host = await shellHost();
  if (!host.image(SERVERCORE)) await host.pull(SERVERCORE);
  const c = await host.createContainer({
    image: SERVERCORE,
    cmd: options.cmd ?? ['cmd'],
    tty: true,
    openStdin: true,
    consoleSize: [rows, columns],
  });
  const io = await c.start();
  const screen = new Screen(columns, rows);
  let ended = false;
  let wake: (() => void) | undefined;
  const pump = (async () => {
    for (;;) {
      const chunk = await io.stdout!.read();
      if (chunk === null) break;
      screen.write(chunk);
      wake?.();
    }
    ended = true;
    wake?.();
  })();
  const settled = () => new Promise<void>((r) => (screen.idle ? setImmediate(r) : screen.term.write('', () => setImmediate(r))));
  return {
    screen,
    type: async (keys) => {
      await (io.stdin as PipeWriter).write(keys);
    },
    until: async (check, what) => {
      for (;;) {
        await settled();
        if (check()) return;
        if (ended) throw new Error(`output ended before ${what}; screen:\n${screen.text}`);
        // Wait for more output, or a turn of the event loop for pending work.
        await Promise.race([new Promise<void>((r) => (wake = r)), new Promise((r) => setTimeout(r, 20))]);
      }
    },
    wait: () => io.wait(),
    remove: async () => {
      await c.remove({ force: true });
      await pump;
    },
  };
}

/** The colours of the cell at (x, y) of the viewport: xterm's palette indices, or 'default'. */
export function cellColours(screen: Screen, x: number, y: number): { fg: number | 'default'; bg: number | 'default'; char: string } {
  const b = screen.term.buffer.active;
  const cell = b.getLine(b.baseY + y)?.getCell(x);
  if (!cell) throw new Error(`no cell at ${x},${y}`);
  return {
    fg: cell.isFgDefault() ? 'default' : cell.getFgColor(),
    bg: cell.isBgDefault() ? 'default' : cell.getBgColor(),
    char: cell.getChars(),
  };
}

/** The viewport rows' text. */
export function viewport(screen: Screen): string[] {
  const b = screen.term.buffer.active;
  const out: string[] = [];
  for (let y = 0; y < screen.term.rows; y++) out.push((b.getLine(b.baseY + y)?.translateToString(true) ?? '').trimEnd());
  return out;
}
