/**
 * LibreOffice headless, as the tests run it: a private profile under `dir` (so runs never share
 * or lock one), converting `files` to `target` ("pdf", "docx:MS Word 2007 XML") into `outdir`.
 */
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { join } from 'node:path';

export function soffice(
  dir: string,
  target: string,
  outdir: string,
  files: readonly string[],
): SpawnSyncReturns<string> {
  return spawnSync(
    'soffice',
    [
      `-env:UserInstallation=file://${join(dir, 'profile')}`,
      '--headless',
      '--convert-to',
      target,
      '--outdir',
      outdir,
      ...files,
    ],
    { encoding: 'utf8', timeout: 120_000 },
  );
}
