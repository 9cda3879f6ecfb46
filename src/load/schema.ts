/**
 * The JSON schema check: ajv (draft 2020-12, allErrors, strict), compiled ahead of time into
 * schema-validator.generated.ts by scripts/gen-validator.ts so no process loads ajv's compiler,
 * and each ajv error turned into a diagnostic placed at its YAML node — an unknown key at the key
 * with the nearest known key suggested, a missing key at the mapping that lacks it.
 */

import { createRequire } from 'node:module';
import type { ErrorObject } from 'ajv';
import type { Diagnostic } from '../diagnostics.js';
import { validate } from './schema-validator.generated.js';
import { capIssues, type DataPath, issue, LIMITS, type SourceMap } from './yaml-source.js';

/**
 * The schema, `schema/undoc.schema.json`, read through the module system as part of the package
 * (from src/load/ under tests and dist/load/ when built: both are two levels below the root).
 */
export const SCHEMA: Readonly<Record<string, unknown>> = createRequire(import.meta.url)(
  '../../schema/undoc.schema.json',
);

/** An ajv validator, as generated: true when valid, else its errors. */
export interface Validator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

/**
 * Validates data against the schema (the source's, unless `check` is another validator, such as
 * the layout templates'); one positioned diagnostic per problem, in source order.
 */
export function schemaIssues(
  data: unknown,
  map: SourceMap,
  check: Validator = validate,
): Diagnostic[] {
  if (check(data)) return [];
  return errorIssues(check.errors ?? [], map);
}

/**
 * A value that takes one of several forms (anyOf: `originalLanguage` is a code or a list of
 * codes) fails every form; only the form the value has is worth reporting: a list's items, or a
 * text's value. The other forms' type and value errors, and anyOf's own, are left out unless
 * nothing else is said about the value.
 */
function oneFormErrors(errors: readonly ErrorObject[]): readonly ErrorObject[] {
  const forms = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  if (forms.size === 0) return errors;
  const otherForm = (e: ErrorObject): boolean =>
    forms.has(e.instancePath) &&
    (e.keyword === 'anyOf' ||
      e.keyword === 'type' ||
      (e.keyword === 'enum' && typeof e.data === 'object' && e.data !== null));
  const kept = errors.filter((e) => !otherForm(e));
  const said = (path: string) =>
    kept.some((e) => e.instancePath === path || e.instancePath.startsWith(`${path}/`));
  // A value of no form at all (a mapping): its type errors say what it may be.
  const unsaid = errors.filter(
    (e) => e.keyword === 'type' && forms.has(e.instancePath) && !said(e.instancePath),
  );
  return [...kept, ...unsaid];
}

/** ajv's errors as positioned diagnostics, in source order (one per problem; a typo said once). */
export function errorIssues(all: readonly ErrorObject[], map: SourceMap): Diagnostic[] {
  const errors = oneFormErrors(all);
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  // A misspelt required key shows as "unknown X" and "missing Y": say it once, as the typo.
  const typos = new Set<string>();
  for (const e of errors) {
    if (e.keyword !== 'additionalProperties') continue;
    const known = Object.keys(schemaProperties(e.parentSchema));
    const near = nearest(String(e.params.additionalProperty), known);
    if (near) typos.add(`${e.instancePath}\u0000${near}`);
  }
  let described = 0;
  for (const e of errors) {
    // Placing an issue scans its mapping: describe only what will be reported.
    if (out.length > LIMITS.maxDiagnostics) break;
    described++;
    if (
      e.keyword === 'required' &&
      typos.has(`${e.instancePath}\u0000${e.params.missingProperty}`)
    ) {
      continue;
    }
    const found = describe(e, map);
    if (!found) continue;
    const key = `${found.line}:${found.col}:${found.code}:${found.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(found);
  }
  out.sort((a, b) => a.line - b.line || a.col - b.col);
  return capIssues(out, errors.length - described);
}

/** JSON Pointer → path of keys and indices. */
function pointerPath(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** "`docAuthority[0].organ`" for messages; "the top level" for the root. */
export function pathName(path: DataPath): string {
  if (path.length === 0) return 'the top level';
  let out = '';
  for (const step of path) {
    if (typeof step === 'number' || /^\d+$/.test(step)) out += `[${step}]`;
    else out += out === '' ? step : `.${step}`;
  }
  return `\`${out}\``;
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  string: 'text',
  object: 'a mapping',
  array: 'a list',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  null: 'empty',
};

/** What a value is, in words: "a number", "a list", "empty". */
function valueWords(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Uint8Array) return 'binary data';
  if (typeof value === 'string') return 'text';
  if (typeof value === 'number') return Number.isInteger(value) ? 'a whole number' : 'a number';
  if (typeof value === 'boolean') return `\`${value}\``;
  return 'a mapping';
}

function schemaProperties(schema: unknown): Record<string, { description?: string }> {
  if (typeof schema !== 'object' || schema === null || !('properties' in schema)) return {};
  return (schema as { properties: Record<string, { description?: string }> }).properties;
}

function describe(e: ErrorObject, map: SourceMap): Diagnostic | undefined {
  const path = pointerPath(e.instancePath);
  const name = pathName(path);
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const known = Object.keys(schemaProperties(e.parentSchema));
      const near = nearest(key, known);
      const where = path.length === 0 ? 'at the top level' : `in ${name}`;
      // The deepest sub-item level has only `text`: say why rather than list one key.
      const tooDeep = key === 'items' && known.length === 1 && known[0] === 'text';
      return issue(
        map.file,
        'unknown-key',
        map.keyAt(path, key),
        `unknown key \`${key}\` ${where}`,
        tooDeep
          ? 'sub-paragraphs nest three levels deep at most: (a), then (i), then a.'
          : near
            ? `did you mean \`${near}\`?`
            : `known keys here: ${known.join(', ')}`,
      );
    }
    case 'required': {
      const key = String(params.missingProperty);
      const described = schemaProperties(e.parentSchema)[key]?.description;
      return issue(
        map.file,
        'missing-key',
        map.at(path),
        `${name} lacks the required key \`${key}\``,
        described ? `\`${key}\`: ${described}` : undefined,
      );
    }
    case 'dependentRequired': {
      const key = String(params.missingProperty);
      const because = String(params.property);
      return issue(
        map.file,
        'missing-key',
        map.keyAt(path, because),
        `\`${because}\` needs \`${key}\` beside it in ${name}`,
      );
    }
    case 'type': {
      const wanted = String(params.type)
        .split(',')
        .map((t) => TYPE_WORDS[t] ?? t)
        .join(' or ');
      const block = (e.parentSchema as { maxProperties?: number }).maxProperties === 1;
      const hint =
        params.type === 'string' && (typeof e.data === 'number' || typeof e.data === 'boolean')
          ? `quote it to make it text: '${String(e.data)}'`
          : block
            ? 'a block is a mapping with one key: `- para: …`, `- chapter: …`, `- subheading: …`'
            : undefined;
      return issue(
        map.file,
        'wrong-type',
        map.at(path),
        `${name} must be ${wanted}, not ${valueWords(e.data)}`,
        hint,
      );
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const near = typeof e.data === 'string' ? nearest(e.data, allowed) : undefined;
      return issue(
        map.file,
        'bad-value',
        map.at(path),
        `${name} must be one of ${allowed.map((a) => `\`${a}\``).join(', ')}, not \`${String(e.data)}\``,
        near ? `did you mean \`${near}\`?` : undefined,
      );
    }
    case 'minimum':
      return issue(
        map.file,
        'bad-value',
        map.at(path),
        `${name} must be at least ${String(params.limit)}`,
      );
    case 'format':
      return dateIssue(map.file, String(e.data), name, map.at(path));
    case 'minLength':
      return issue(
        map.file,
        'empty-value',
        map.at(path),
        `${name} is empty`,
        'give it a text, or leave the key out if it is optional',
      );
    case 'minItems':
      return issue(
        map.file,
        'empty-value',
        map.at(path),
        `${name} is an empty list`,
        'give at least one entry, or leave the key out if it is optional',
      );
    case 'maxProperties': {
      const keys = Object.keys(e.data as object);
      return issue(
        map.file,
        'bad-block',
        map.keyAt(path, keys[1] ?? ''),
        `a content block has exactly one key; this one has ${keys.map((k) => `\`${k}\``).join(', ')}`,
        'start each block as its own list item with `- `',
      );
    }
    case 'minProperties':
      return issue(
        map.file,
        'bad-block',
        map.at(path),
        'an empty content block',
        'a block is one of chapter, section, subsection, subheading, para, text',
      );
    case 'pattern': {
      const schema = e.parentSchema as { description?: string };
      // For a mapping's key (footnote ids) ajv reports the key as propertyName.
      const key = params.propertyName;
      if (typeof key === 'string') {
        return issue(
          map.file,
          'bad-form',
          map.keyAt(path, key),
          `footnote id \`${key}\` may contain only letters, digits, \`-\` and \`_\``,
        );
      }
      return issue(
        map.file,
        'bad-form',
        map.at(path),
        `${name} \`${String(e.data)}\` does not have the required form`,
        schema.description,
      );
    }
    case 'propertyNames':
      // Reported by the pattern error that comes with it.
      return undefined;
    default:
      return issue(map.file, 'bad-form', map.at(path), `${name} ${e.message ?? 'is not valid'}`);
  }
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** Days in a month of the proleptic Gregorian calendar (month 1–12). */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function dateIssue(
  file: string,
  value: string,
  name: string,
  at: { line: number; col: number },
): Diagnostic {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) {
    return issue(
      file,
      'bad-date',
      at,
      `${name} \`${value}\` is not a date of the form YYYY-MM-DD`,
      'e.g. 2007-04-04',
    );
  }
  const year = Number(m[1]);
  const month = Number(m[2]);
  const monthName = MONTHS[month - 1];
  const hint = monthName
    ? `${monthName} ${year} has ${daysInMonth(year, month)} days`
    : 'months run from 01 to 12';
  return issue(file, 'bad-date', at, `${name} \`${value}\` is not a calendar date`, hint);
}

/** Edit distance with adjacent transpositions (optimal string alignment): "bulid" → "build" is 1. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const above = rows[i - 1] ?? [];
      let d = Math.min((above[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (above[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      }
      row.push(d);
    }
    rows.push(row);
  }
  return rows[a.length]?.[b.length] ?? 0;
}

/**
 * The known word closest to `word` when it is plausibly a typo of it: within a third of its
 * length in edits (case ignored), or one being a prefix of the other ("paragraph" → "para").
 */
export function nearest(word: string, known: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const k of known) {
    const d = editDistance(w, k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  if (best !== undefined && bestDistance <= Math.max(1, Math.floor(w.length / 3))) return best;
  return known.find((k) => {
    const l = k.toLowerCase();
    return w.length >= 3 && (l.startsWith(w) || w.startsWith(l));
  });
}
