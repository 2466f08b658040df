/**
 * chcp.com (Microsoft's `chcp` reference): shows or sets the console's
 * code page. `chcp` → `Active code page: 437`; `chcp 65001` sets it and
 * says so; a page Windows does not have is `Invalid code page` (exit 1);
 * anything that is not a number is `Parameter format not correct - "x"`.
 * Without a console (output to a pipe and no console attached) it reports
 * the process's OEM code page, 437, and a change has nothing to apply to.
 * DECIDED: the valid pages are the ones an en-US Server Core lists under
 * HKLM\SYSTEM\CurrentControlSet\Control\Nls\CodePage that users pick:
 * the OEM and ANSI pages, UTF-7/UTF-8 and the ISO 8859 family.
 */
import type { ProcessContext } from '../../../kernel/process/context.js';
import { lines } from '../system/text.js';

const PAGES = new Set([437, 720, 737, 775, 850, 852, 855, 857, 858, 860, 861, 862, 863, 864, 865, 866, 869, 874, 932, 936, 949, 950, 1250, 1251, 1252, 1253, 1254, 1255, 1256, 1257, 1258, 20127, 28591, 28592, 28593, 28594, 28595, 28596, 28597, 28598, 28599, 28603, 28605, 65000, 65001]);

export async function chcpMain(ctx: ProcessContext): Promise<number> {
  const args = ctx.argv.slice(1);
  const console = ctx.console;
  if (args.length === 0) {
    await ctx.stdout.write(lines(`Active code page: ${console?.codePage ?? 437}`));
    return 0;
  }
  const arg = args[0]!;
  if (!/^\d+$/.test(arg)) {
    await ctx.stderr.write(lines(`Parameter format not correct - "${arg}"`));
    return 1;
  }
  const page = Number(arg);
  if (!PAGES.has(page)) {
    await ctx.stderr.write(lines('Invalid code page'));
    return 1;
  }
  if (console) console.codePage = page;
  await ctx.stdout.write(lines(`Active code page: ${page}`));
  return 0;
}
