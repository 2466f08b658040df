/**
 * cmd's paged output for `dir /p` (Microsoft Learn "dir": "/p Displays one
 * screen of the listing at a time. To see the next screen, press any
 * key"): after each screenful — the window's rows less one, for the
 * prompt — cmd writes `Press any key to continue . . . `, takes one key
 * from the console (no Enter, not echoed), ends the prompt's line and goes
 * on with `(continuing <directory>)` naming the directory being listed.
 * Only a console is paged; CTRL+C at the prompt ends the listing.
 * DECIDED: the `(continuing …)` line is as remembered from Windows' cmd
 * (no text of it was at hand to check); it counts as the new page's first
 * row.
 */
import type { OutputStream } from '../../../kernel/process/pipe.js';
import { readConsoleKey } from '../../console/read-key.js';
import { rowsOf } from '../../console/rows.js';
import type { BuiltinContext } from '../builtin.js';
import { MSG } from '../messages.js';

export class PagedOutput {
  /** The directory being listed, for the `(continuing …)` line. */
  directory = '';
  private left: number;
  private stopped = false;

  private constructor(
    private readonly bc: BuiltinContext,
    private readonly rows: number,
    private readonly columns: number,
  ) {
    this.left = rows - 1;
  }

  /** A pager for `bc`'s output, or the output itself when it is not a console. */
  static over(bc: BuiltinContext): PagedOutput | OutputStream {
    const con = bc.ctx.console;
    if (!bc.stdout.isConsole || !con || con.rows < 2) return bc.stdout;
    return new PagedOutput(bc, con.rows, con.columns);
  }

  async write(text: string): Promise<void> {
    if (this.stopped) return;
    let pending = '';
    let at = 0;
    while (at < text.length) {
      const nl = text.indexOf('\n', at);
      const end = nl < 0 ? text.length : nl + 1;
      const line = text.slice(at, end);
      if (this.left <= 0) {
        await this.bc.stdout.write(pending + MSG.pause);
        pending = '';
        const key = await readConsoleKey(this.bc.ctx, { signal: this.bc.signal, conin: true });
        await this.bc.stdout.write('\r\n');
        if (typeof key !== 'string') {
          this.stopped = true;
          return;
        }
        this.left = this.rows - 1;
        if (this.directory !== '') {
          pending += `(continuing ${this.directory})\r\n`;
          this.left -= rowsOf(`(continuing ${this.directory})`, this.columns);
        }
      }
      pending += line;
      this.left -= rowsOf(line.replace(/\r?\n$/, ''), this.columns);
      at = end;
    }
    if (pending !== '') await this.bc.stdout.write(pending);
  }
}
