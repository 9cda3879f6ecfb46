/** `undoc validate`: checks sources without rendering them. */
import type { ExitCode } from '../../diagnostics.js';
import { type CliOutput, Outcome } from '../output.js';
import { collectSources, loadFile } from '../sources.js';

/** Loads every source, printing its diagnostics, then one summary line. */
export async function validate(paths: readonly string[], output: CliOutput): Promise<ExitCode> {
  const outcome = new Outcome();
  const files = await collectSources(paths, output, outcome);
  let valid = 0;
  for (const f of files) if (await loadFile(f, output, outcome)) valid++;
  const invalid = files.length - valid;
  output.out(
    `validate: ${valid} of ${files.length} document${files.length === 1 ? '' : 's'} valid` +
      `${invalid > 0 ? `, ${invalid} invalid` : ''}\n`,
  );
  return outcome.code;
}
