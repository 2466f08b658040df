// Compress-Archive and Expand-Archive as Microsoft.PowerShell.Archive
// 1.0.1.0 (Windows PowerShell 5.1 in Server Core) does them; the zips are
// checked against Python's zipfile, an implementation of its own.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { python } from '../../support/python.js';
import { run } from '../support.js';

const dir = mkdtempSync(join(tmpdir(), 'winsilo-archive-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const binds = [{ hostPath: dir, containerPath: 'C:\\t', readOnly: false }];
const ps = (cmd: string) => run(['powershell', '-NoProfile', '-Command', cmd], { binds });
const lines = (...l: string[]) => l.map((x) => x + '\r\n').join('');

describe('Expand-Archive', () => {
  it('extracts a zip made elsewhere (forward slashes, a folder entry) into -DestinationPath, made when missing', async () => {
    python(`import zipfile\nz = zipfile.ZipFile('${dir}/app.zip', 'w', zipfile.ZIP_DEFLATED)\nz.writestr('app/readme.txt', 'hello zip')\nz.writestr('app/bin/', '')\nz.writestr('app/bin/tool.cmd', '@echo tool')\nz.close()`);
    const r = await ps('Expand-Archive C:\\t\\app.zip -DestinationPath C:\\out; Get-Content C:\\out\\app\\readme.txt; Test-Path C:\\out\\app\\bin -PathType Container; (Get-ChildItem C:\\out -Recurse -File).Name');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(lines('hello zip', 'True', 'readme.txt', 'tool.cmd'));
  });

  it('without -DestinationPath: a folder named after the archive in the current location; an existing file is an error unless -Force', async () => {
    const r = await ps('Set-Location C:\\; Expand-Archive C:\\t\\app.zip; Test-Path C:\\app\\app\\readme.txt; Expand-Archive C:\\t\\app.zip -DestinationPath C:\\app -ErrorAction SilentlyContinue -ErrorVariable e; $e[0].FullyQualifiedErrorId; $e[0].Exception.Message; Expand-Archive C:\\t\\app.zip -DestinationPath C:\\app -Force; "forced"');
    expect(r.stdout).toBe(
      lines(
        'True',
        'ExpandArchiveFileExists,Expand-Archive',
        "Failed to create file 'C:\\app\\app\\readme.txt' while expanding the archive file 'C:\\t\\app.zip' contents as the file 'C:\\app\\app\\readme.txt' already exists. Use the -Force parameter if you want to overwrite the existing directory 'C:\\app\\app\\readme.txt' contents when expanding the archive file.",
        'forced',
      ),
    );
  });

  it('a missing archive and a file that is not .zip: the module’s terminating errors', async () => {
    writeFileSync(join(dir, 'pkg.nupkg'), 'x');
    const r = await ps('try { Expand-Archive C:\\nope.zip C:\\x } catch { $_.FullyQualifiedErrorId; $_.Exception.Message }; try { Expand-Archive C:\\t\\pkg.nupkg C:\\x } catch { $_.FullyQualifiedErrorId; $_.Exception.Message }');
    expect(r.stdout).toBe(
      lines(
        'ArchiveCmdletPathNotFound,Expand-Archive',
        "The path 'C:\\nope.zip' either does not exist or is not a valid file system path.",
        'NotSupportedArchiveFileExtension,Expand-Archive',
        '.nupkg is not a supported archive file format. .zip is the only supported archive file format.',
      ),
    );
  });
});

describe('Compress-Archive', () => {
  it('a folder under its own name (backslashes, as 1.0.1.0 writes them), a file by its name; .zip appended; Python reads it', async () => {
    const r = await ps(
      'New-Item -ItemType Directory C:\\src\\sub, C:\\src\\empty -Force | Out-Null; Set-Content C:\\src\\a.txt "alpha"; Set-Content C:\\src\\sub\\b.txt "beta"; Set-Content C:\\lone.txt "lone"; Compress-Archive -Path C:\\src, C:\\lone.txt -DestinationPath C:\\t\\out; Test-Path C:\\t\\out.zip',
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(lines('True'));
    const listing = python(`import zipfile\nz = zipfile.ZipFile('${dir}/out.zip')\nfor i in sorted(z.infolist(), key=lambda i: i.filename): print(i.filename, repr(z.read(i.filename)))`);
    expect(listing).toBe(["src\\a.txt b'alpha\\r\\n'", "src\\empty\\ b''", "src\\sub\\b.txt b'beta\\r\\n'", "lone.txt b'lone\\r\\n'"].sort().join('\n') + '\n');
  });

  it('an existing archive: refused without -Update or -Force; -Update replaces and adds entries; a round trip keeps the bytes', async () => {
    const r = await ps(
      'Set-Content C:\\one.txt "1"; Compress-Archive C:\\one.txt C:\\t\\r.zip; try { Compress-Archive C:\\one.txt C:\\t\\r.zip } catch { $_.FullyQualifiedErrorId; $_.Exception.Message }; Set-Content C:\\one.txt "uno"; Set-Content C:\\two.txt "2"; Compress-Archive C:\\one.txt, C:\\two.txt -Update -DestinationPath C:\\t\\r.zip; Expand-Archive C:\\t\\r.zip C:\\rt; Get-Content C:\\rt\\one.txt, C:\\rt\\two.txt',
    );
    expect(r.stdout).toBe(
      lines(
        'ArchiveFileExists,Compress-Archive',
        'The archive file C:\\t\\r.zip already exists. Use the -Update parameter to update the existing archive file or use the -Force parameter to overwrite the existing archive file.',
        'uno',
        '2',
      ),
    );
  });

  it('a path that does not resolve, and Get-Command: the Archive module’s functions', async () => {
    const r = await ps('try { Compress-Archive C:\\missing\\* C:\\t\\m.zip } catch { $_.FullyQualifiedErrorId }; Get-Command Expand-Archive | Format-List CommandType, Name, Version, Source');
    expect(r.stdout).toBe(lines('ArchiveCmdletPathNotFound,Compress-Archive', '', 'CommandType : Function', 'Name        : Expand-Archive', 'Version     : 1.0.1.0', 'Source      : Microsoft.PowerShell.Archive', '', ''));
  });
});
