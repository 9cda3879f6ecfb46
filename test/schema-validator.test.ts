import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GENERATED_PATH, SCHEMA_PATH, validatorSource } from '../scripts/gen-validator.js';
import { validate } from '../src/load/schema-validator.generated.js';

describe('src/load/schema-validator.generated.ts', () => {
  it('is what scripts/gen-validator.ts generates from the schema now', () => {
    // A schema edit without `npx tsx scripts/gen-validator.ts` fails here.
    const fresh = validatorSource(readFileSync(SCHEMA_PATH, 'utf8'));
    expect(readFileSync(GENERATED_PATH, 'utf8') === fresh).toBe(true);
    // The comparison sees a schema change: a changed description changes the generated text.
    const edited = readFileSync(SCHEMA_PATH, 'utf8').replace(
      '"title": "undoc source"',
      '"title": "x"',
    );
    expect(validatorSource(edited) === fresh).toBe(false);
  });

  it('reports errors in ajv shape, with the format `date` checked as a calendar date', () => {
    expect(validate({})).toBe(false);
    const required = (validate.errors ?? []).filter((e) => e.keyword === 'required');
    expect(required.map((e) => e.params.missingProperty)).toContain('docDate');
    expect(required[0]?.instancePath).toBe('');
    expect(validate({ docDate: '2007-02-30', bogus: 1 })).toBe(false);
    const errors = validate.errors ?? [];
    const date = errors.find((e) => e.keyword === 'format');
    expect(date).toMatchObject({ instancePath: '/docDate', params: { format: 'date' } });
    expect(date?.data).toBe('2007-02-30');
    const extra = errors.find((e) => e.keyword === 'additionalProperties');
    expect(extra?.params).toEqual({ additionalProperty: 'bogus' });
    expect(extra?.parentSchema).toHaveProperty('properties.docDate');
  });
});
