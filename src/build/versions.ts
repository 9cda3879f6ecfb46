/**
 * Language versions of one document. Naming: the document's versions share a base name, and each
 * translation adds its language code before `.yaml`: `A-61-859.yaml` (the original, in its
 * `originalLanguage`), `A-61-859.fr.yaml`, `A-61-859.ar.yaml`… Outputs follow (`A-61-859.fr.pdf`).
 * Versions are parallel texts: the same symbols, the same count of numbered paragraphs,
 * footnotes, annexes and signatures, and one job number with each version's own language letter.
 * Pure: the caller loads the models.
 */
import type { Diagnostic } from '../diagnostics.js';
import {
  LANGUAGES,
  type LanguageCode,
  type Span,
  type UnDocument,
  type VersionName,
  versionName,
} from '../model.js';

export { type VersionName, versionName };

/**
 * For each name with other versions among `names`, the other versions' names (sorted). A name
 * alone in its group is absent from the map.
 */
export function versionSiblings(names: readonly string[]): Map<string, readonly string[]> {
  const groups = new Map<string, string[]>();
  for (const n of names) {
    const { base } = versionName(n);
    groups.set(base, [...(groups.get(base) ?? []), n]);
  }
  const out = new Map<string, readonly string[]>();
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    for (const n of group) out.set(n, group.filter((x) => x !== n).sort());
  }
  return out;
}

/**
 * The language of a version named `name` in a group whose original is in `original`: the suffix's
 * language, or for the base name (no suffix) the original language.
 */
export function versionLanguage(name: string, original: LanguageCode): LanguageCode {
  return versionName(name).language ?? original;
}

/** One loaded version: its model and the source path diagnostics name. */
export interface LoadedVersion {
  readonly file: string;
  readonly model: UnDocument;
}

/** What must be equal in every version of a document, counted from its model. */
export function parallelFacts(doc: UnDocument): Record<string, string | number> {
  const blocks = [...doc.body, ...doc.annexes.flatMap((a) => a.blocks)];
  return {
    symbols: doc.symbols.map((s) => s.text).join(' + ') || '(none)',
    'numbered paragraphs': blocks.filter((b) => b.kind === 'paragraph' && b.number !== undefined)
      .length,
    footnotes: doc.footnotes.length,
    annexes: doc.annexes.length,
    signatures: doc.letter?.signatories.length ?? 0,
    'job number': doc.jobNumber?.number ?? '(none)',
    'original language': doc.originalLanguages.join('/'),
  };
}

/** Where a version has more of something than the reference: its first extra element. */
function firstExtra(doc: UnDocument, what: string, expected: string | number): Span | undefined {
  if (typeof expected !== 'number') return undefined;
  const numbered = [...doc.body, ...doc.annexes.flatMap((a) => a.blocks)].filter(
    (b) => b.kind === 'paragraph' && b.number !== undefined,
  );
  const list: readonly { span: Span }[] =
    what === 'numbered paragraphs'
      ? numbered
      : what === 'annexes'
        ? doc.annexes
        : what === 'signatures'
          ? (doc.letter?.signatories ?? [])
          : [];
  return list[expected]?.span;
}

const whole = (file: string): Pick<Diagnostic, 'file' | 'line' | 'col'> => ({
  file,
  line: 1,
  col: 1,
});

/**
 * Checks that the versions of each document among `docs` are parallel, against the version in
 * the original language (or the first): one diagnostic `version-mismatch` per difference, placed
 * at the top of the version that differs. Also: a name's language suffix must be its `language`,
 * and two versions may not share a language.
 */
export function versionIssues(docs: readonly LoadedVersion[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const groups = new Map<string, LoadedVersion[]>();
  for (const d of docs) {
    const { base, language } = versionName(d.model.name);
    if (language !== undefined && language !== d.model.language) {
      out.push({
        ...whole(d.file),
        code: 'version-mismatch',
        severity: 'error',
        message: `the name says this is the ${LANGUAGES[language].name} version, but \`language\` is ${d.model.language}`,
        hint: `name the file ${base}.${d.model.language}.yaml, or change \`language\``,
      });
    }
    groups.set(base, [...(groups.get(base) ?? []), d]);
  }
  for (const [base, group] of groups) {
    if (group.length < 2) continue;
    const reference = group.find((d) => d.model.language === d.model.originalLanguage) ?? group[0];
    if (!reference) continue;
    const expected = parallelFacts(reference.model);
    const seen = new Map<LanguageCode, string>();
    for (const d of group) {
      const other = seen.get(d.model.language);
      if (other !== undefined) {
        out.push({
          ...whole(d.file),
          code: 'version-mismatch',
          severity: 'error',
          message: `${other} is also the ${LANGUAGES[d.model.language].name} version of ${base}`,
          hint: 'keep one source per language',
        });
      }
      seen.set(d.model.language, d.file);
      if (d === reference) continue;
      const facts = parallelFacts(d.model);
      for (const [what, value] of Object.entries(expected)) {
        if (facts[what] === value) continue;
        const at = firstExtra(d.model, what, value);
        out.push({
          ...whole(d.file),
          ...(at ? { line: at.line, col: at.col } : {}),
          code: 'version-mismatch',
          severity: 'error',
          message: `${what}: ${facts[what]} here, ${value} in ${reference.file} (the ${LANGUAGES[reference.model.language].name} version)`,
          hint: 'the language versions of one document are parallel texts',
        });
      }
    }
  }
  return out;
}
