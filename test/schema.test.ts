/**
 * The JSON schema as a file editors use: valid draft 2020-12 under ajv's strict mode, closed
 * (`additionalProperties: false`) and described everywhere, referenced by every source's first
 * line, and accepting every valid source.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadSource } from '../src/load/index.js';
import { SCHEMA } from '../src/load/schema.js';
import { checkSymbol } from '../src/load/symbol.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SCHEMA_FILE = join(ROOT, 'schema/undoc.schema.json');

type Json = Record<string, unknown>;

/** Every subschema with the JSON Pointer to it. */
function subschemas(node: unknown, pointer = '#'): [string, Json][] {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return [];
  const schema = node as Json;
  const out: [string, Json][] = [[pointer, schema]];
  for (const key of ['properties', '$defs']) {
    const map = schema[key] as Record<string, unknown> | undefined;
    for (const [name, sub] of Object.entries(map ?? {})) {
      out.push(...subschemas(sub, `${pointer}/${key}/${name}`));
    }
  }
  for (const key of ['items', 'additionalProperties', 'propertyNames']) {
    out.push(...subschemas(schema[key], `${pointer}/${key}`));
  }
  return out;
}

describe('schema/undoc.schema.json', () => {
  const text = readFileSync(SCHEMA_FILE, 'utf8');

  it('is what the loader uses and what `undoc schema` prints', () => {
    expect(JSON.parse(text)).toEqual(SCHEMA);
  });

  it('compiles as draft 2020-12 under strict mode', () => {
    const ajv = new Ajv2020({ strict: true, allowUnionTypes: true });
    addFormats.default(ajv, ['date']);
    expect(() => ajv.compile(SCHEMA)).not.toThrow();
  });

  it('closes every mapping: additionalProperties false (the footnote map types its values)', () => {
    const open = subschemas(SCHEMA).filter(
      ([pointer, s]) =>
        s.properties !== undefined &&
        s.additionalProperties !== false &&
        !pointer.endsWith('/footnotes'),
    );
    expect(open.map(([p]) => p)).toEqual([]);
  });

  it('describes every property (editors show the description)', () => {
    const undescribed: string[] = [];
    for (const [pointer, s] of subschemas(SCHEMA)) {
      for (const [name, sub] of Object.entries((s.properties as Record<string, Json>) ?? {})) {
        if (typeof sub.description !== 'string' || sub.description.length < 10) {
          undescribed.push(`${pointer}/properties/${name}`);
        }
      }
    }
    expect(undescribed).toEqual([]);
  });

  it('has the enums of the brief: styles, languages, distribution', () => {
    const props = SCHEMA.properties as Record<string, Json>;
    const defs = SCHEMA.$defs as Record<string, Json>;
    expect(props.style?.enum).toEqual(['ny', 'geneva']);
    expect(defs.languageCode?.enum).toEqual(['ar', 'zh', 'en', 'fr', 'ru', 'es']);
    expect(props.distribution?.enum).toEqual(['General', 'Limited', 'Restricted']);
  });

  it("gives examples that follow the loader's own grammars", () => {
    const organ = (SCHEMA.$defs as Record<string, Json>).organ?.properties as Record<string, Json>;
    const examples = (organ.docNumber?.examples as string[]) ?? [];
    expect(examples.length).toBeGreaterThan(2);
    for (const symbol of examples) expect(checkSymbol(symbol)).toBeUndefined();
  });
});

describe('sources point editors at the schema', () => {
  const sources = [
    ...readdirSync(join(ROOT, 'source')).map((f) => join(ROOT, 'source', f)),
    ...readdirSync(join(ROOT, 'test/fixtures/valid')).map((f) =>
      join(ROOT, 'test/fixtures/valid', f),
    ),
  ].filter((f) => f.endsWith('.yaml'));

  it.each(sources)('%s: its first line resolves to the schema, and it is valid', (file) => {
    const text = readFileSync(file, 'utf8');
    const first = text.split('\n')[0] ?? '';
    const m = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
    expect(m).not.toBeNull();
    const target = resolve(dirname(file), m?.[1] ?? '');
    expect(target).toBe(SCHEMA_FILE);
    expect(existsSync(target)).toBe(true);
    const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
    addFormats.default(ajv, ['date']);
    const validate = ajv.compile(SCHEMA);
    expect(validate(parse(text)) ? [] : validate.errors).toEqual([]);
    // And the checks beyond the schema find nothing either.
    const loaded = loadSource(text, basename(file, '.yaml'));
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.model).toBeDefined();
  });
});
