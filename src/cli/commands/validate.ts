/** `undoc validate`: checks sources without rendering them. */
import { versionIssues } from '../../build/versions.js';
import { EXIT, type ExitCode } from '../../diagnostics.js';
import type { UnDocument } from '../../model.js';
import { type CliOutput, Outcome, report } from '../output.js';
import { collectSources, loadFile } from '../sources.js';

/**
 * Loads every source, printing its diagnostics; then checks that the language versions among
 * them (A-61-859.yaml, A-61-859.fr.yaml…) are parallel; then one summary line.
 */
export async function validate(paths: readonly string[], output: CliOutput): Promise<ExitCode> {
  const outcome = new Outcome();
  const files = await collectSources(paths, output, outcome);
  const loaded: { file: string; model: UnDocument }[] = [];
  for (const f of files) {
    const model = await loadFile(f, output, outcome);
    if (model) loaded.push({ file: f.path, model });
  }
  const versions = versionIssues(loaded);
  report(output, versions);
  if (versions.length > 0) outcome.fail(EXIT.invalid);
  const unparallel = new Set(versions.map((d) => d.file));
  const valid = loaded.filter((d) => !unparallel.has(d.file)).length;
  const invalid = files.length - valid;
  output.out(
    `validate: ${valid} of ${files.length} document${files.length === 1 ? '' : 's'} valid` +
      `${invalid > 0 ? `, ${invalid} invalid` : ''}\n`,
  );
  return outcome.code;
}
