// Listing fields that depend on the container rather than on the command:
// the volume serial and the free bytes. Their format is checked here, then
// they are replaced by fixed text so the rest can be compared byte for byte.
import { expect } from 'vitest';

export function normaliseListing(text: string): string {
  return text
    .replace(/ Volume Serial Number is ([0-9A-F]{4}-[0-9A-F]{4})\r\n/g, ' Volume Serial Number is XXXX-XXXX\r\n')
    .replace(/^( {0,15}\d+ Dir\(s\))( +)([\d,]+) bytes free\r\n/gm, (_, head: string, pad: string, n: string) => {
      expect((pad + n).length).toBe(16);
      expect(n).toMatch(/^(\d{1,3}(,\d{3})*|\d+)$/);
      return `${head}  FREE bytes free\r\n`;
    });
}

/** A listing's header lines (after normalising). */
export const HEADER = ' Volume in drive C has no label.\r\n Volume Serial Number is XXXX-XXXX\r\n';
