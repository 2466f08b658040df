// MAC addresses as moby reads and shows them: Go's net.ParseMAC forms
// (6, 8 or 20 bytes; `:`, `-` or dotted groups of four), HNS's
// `00-15-5D-AA-BB-CC`, and the API's `00:15:5d:aa:bb:cc`.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { apiMacOf, hnsMacOf, parseHardwareAddr } from '../../src/net/ipam.js';
import { numRuns, SEED } from '../support/budget.js';

describe("parseHardwareAddr (Go's net.ParseMAC)", () => {
  test.each([
    ['00:00:5e:00:53:01', [0, 0, 0x5e, 0, 0x53, 1]],
    ['00-00-5E-00-53-01', [0, 0, 0x5e, 0, 0x53, 1]],
    ['0000.5e00.5301', [0, 0, 0x5e, 0, 0x53, 1]],
    ['02:00:5e:10:00:00:00:01', [2, 0, 0x5e, 0x10, 0, 0, 0, 1]],
    ['0200.5e10.0000.0001', [2, 0, 0x5e, 0x10, 0, 0, 0, 1]],
  ])('%s reads', (text, bytes) => {
    expect(parseHardwareAddr(text)).toEqual(bytes);
  });

  test('a 20-byte (IPoIB) address reads', () => {
    expect(parseHardwareAddr('00:00:00:00:fe:80:00:00:00:00:00:00:02:00:5e:10:00:00:00:01')).toHaveLength(20);
  });

  test.each(['01.02.03.04.05.06', '01:02:03:04:05:06:', 'x1:02:03:04:05:06', '01002:03:04:05:06', '01:02003:04:05:06', '01:02:03:04:05:06:07', '01:02-03:04:05:06', '0123:4567:89AF', '0123-4567-89AF', 'zz', ''])('%s does not', (text) => {
    expect(parseHardwareAddr(text)).toBeUndefined();
  });

  test('HNS and API forms of any 48-bit address read back as the same bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 6, maxLength: 6 }), (bytes) => {
        const hns = hnsMacOf(bytes);
        expect(hns).toMatch(/^[0-9A-F]{2}(-[0-9A-F]{2}){5}$/);
        const api = apiMacOf(hns);
        expect(api).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
        expect(parseHardwareAddr(api)).toEqual(bytes);
        expect(parseHardwareAddr(hns)).toEqual(bytes);
      }),
      { numRuns: numRuns(200), seed: SEED },
    );
  });
});
