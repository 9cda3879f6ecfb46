/**
 * Which documents a build must render and which it may skip. Pure: the caller hashes the files.
 *
 * A document is skipped only when its input hash is the one the manifest recorded AND every output
 * it should have is on disk with the hash the manifest recorded: an output deleted or edited by
 * hand is rebuilt even though the source did not change.
 */
import { EXTENSIONS, type Format } from '../render/types.js';
import type { Manifest } from './manifest.js';

/** One document the build was asked for. */
export interface PlannedInput {
  /** Document name (the source's base name; outputs are `<name>.<extension>`). */
  readonly name: string;
  /** `inputHash` of its current inputs. */
  readonly input: string;
  /** Formats to write. */
  readonly formats: readonly string[];
}

/** Why a document is rebuilt, or that it is skipped. */
export type PlanReason =
  | 'up-to-date'
  | 'forced'
  | 'new'
  | 'input-changed'
  | 'output-missing'
  | 'output-modified';

/** The decision for one document. */
export interface PlanItem {
  readonly name: string;
  readonly action: 'skip' | 'build';
  readonly reason: PlanReason;
  /** For an output reason: the file concerned. */
  readonly file?: string;
}

/** Output file names of a document, in format order: "A-61-seed.pdf", … ("A-61-seed.xml" for akn). */
export function outputFiles(name: string, formats: readonly string[]): string[] {
  return formats.map((f) => `${name}.${EXTENSIONS[f as Format] ?? f}`);
}

/**
 * Decides skip or build for each input. `onDisk(file)` is the sha256 of `DIR/file`, or undefined
 * when it does not exist. `force` rebuilds everything.
 */
export function planBuild(
  inputs: readonly PlannedInput[],
  manifest: Manifest,
  onDisk: (file: string) => string | undefined,
  force: boolean,
): PlanItem[] {
  return inputs.map((doc): PlanItem => {
    const build = (reason: PlanReason, file?: string): PlanItem =>
      file === undefined
        ? { name: doc.name, action: 'build', reason }
        : { name: doc.name, action: 'build', reason, file };
    if (force) return build('forced');
    const entry = manifest.documents[doc.name];
    if (!entry) return build('new');
    if (entry.input !== doc.input) return build('input-changed');
    for (const file of outputFiles(doc.name, doc.formats)) {
      const recorded = entry.outputs[file];
      const actual = onDisk(file);
      if (recorded === undefined || actual === undefined) return build('output-missing', file);
      if (actual !== recorded) return build('output-modified', file);
    }
    return { name: doc.name, action: 'skip', reason: 'up-to-date' };
  });
}
