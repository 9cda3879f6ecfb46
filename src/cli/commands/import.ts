/**
 * `undoc import FILE.docx [-o FILE.yaml]`: a Word file to a source. The file is sized before it
 * is read; a file that cannot be imported gives one diagnostic (exit 1) and writes nothing; the
 * YAML is written atomically to `out`, or to standard output; warnings go to standard error.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { EXIT, type ExitCode, fileDiagnostic } from '../../diagnostics.js';
import type { TrackedPolicy } from '../../import/index.js';
import { ioMessage, writeAtomically } from '../file-system.js';
import { type CliOutput, report } from '../output.js';

/** Imports `file`; `out` is the YAML file to write (standard output when absent). */
export async function importWord(
  file: string,
  options: { readonly out?: string; readonly tracked: TrackedPolicy },
  output: CliOutput,
): Promise<ExitCode> {
  const { DOCX_LIMITS, DocxError, importDocx } = await import('../../import/index.js');
  let bytes: Uint8Array;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new Error('not a file');
    if (info.size > DOCX_LIMITS.fileBytes) {
      // Not even read: the limit exists so that a huge file costs nothing.
      const message = `the file is ${info.size} bytes; at most ${DOCX_LIMITS.fileBytes} are imported`;
      report(output, [fileDiagnostic(file, 'file-too-large', message)]);
      return EXIT.invalid;
    }
    bytes = await readFile(file);
  } catch (e) {
    report(output, [fileDiagnostic(file, 'read-failed', `cannot read: ${ioMessage(e)}`)]);
    return EXIT.io;
  }
  const target = options.out ?? file;
  let result: ReturnType<typeof importDocx>;
  try {
    result = importDocx(bytes, {
      name: basename(target, extname(target)),
      tracked: options.tracked,
    });
  } catch (e) {
    if (!(e instanceof DocxError)) throw e;
    const d = fileDiagnostic(file, e.code, e.message);
    report(output, [e.hint ? { ...d, hint: e.hint } : d]);
    return EXIT.invalid;
  }
  report(
    output,
    result.warnings.map((w) =>
      fileDiagnostic(file, 'import-approximated', `${w.where}: ${w.message}`, 'warning'),
    ),
  );
  if (options.out === undefined) {
    output.out(result.yaml);
    return EXIT.ok;
  }
  try {
    await writeAtomically(options.out, Buffer.from(result.yaml, 'utf8'));
  } catch (e) {
    report(output, [fileDiagnostic(options.out, 'write-failed', `cannot write: ${ioMessage(e)}`)]);
    return EXIT.io;
  }
  return EXIT.ok;
}
