// reg's `\\Machine\` key prefix (`reg query /?`: "Only HKLM and HKU are
// available on remote machines"): reg connects to the machine's registry,
// which a container cannot reach — ERROR_BAD_NETPATH's text.
import { describe, expect, it } from 'vitest';
import { run } from '../support.js';

const NETPATH = { stdout: '', stderr: 'ERROR: The network path was not found.\r\n', exitCode: 1 };
const invalid = (op: string) => ({ stdout: '', stderr: `ERROR: Invalid key name.\r\nType "REG ${op} /?" for usage.\r\n`, exitCode: 1 });

describe('a remote key', () => {
  it('reg query \\\\host\\HKLM: the network path was not found', async () => {
    expect(await run(['reg', 'query', '\\\\host\\HKLM'])).toEqual(NETPATH);
    expect(await run(['reg', 'query', '\\\\host\\HKU\\.DEFAULT', '/s'])).toEqual(NETPATH);
  });

  it('add, delete and copy try the machine too', async () => {
    expect(await run(['reg', 'add', '\\\\host\\HKLM\\SOFTWARE\\x', '/f'])).toEqual(NETPATH);
    expect(await run(['reg', 'delete', '\\\\host\\HKLM\\SOFTWARE\\x', '/f'])).toEqual(NETPATH);
    expect(await run(['reg', 'copy', 'HKLM\\SOFTWARE\\x', '\\\\host\\HKLM\\SOFTWARE\\y', '/f'])).toEqual(NETPATH);
  });

  it('only HKLM and HKU may be remote; other roots are invalid key names', async () => {
    expect(await run(['reg', 'query', '\\\\host\\HKCU\\Software'])).toEqual(invalid('QUERY'));
    expect(await run(['reg', 'query', '\\\\host'])).toEqual(invalid('QUERY'));
  });

  it('export takes a local key only', async () => {
    expect(await run(['reg', 'export', '\\\\host\\HKLM\\SOFTWARE', 'C:\\x.reg'])).toEqual(invalid('EXPORT'));
  });
});
