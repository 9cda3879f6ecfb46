/**
 * Templates as validated data, through the real command (a private package whose templates are
 * its own copy): a template mistake is a diagnostic at `templates/<name>.yaml:line:col`, exit 1,
 * never blamed on the source and never a half-rendered output; a template or font that cannot be
 * read is an I/O error (exit 3) naming the file; a build reads only what it uses.
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  GENERATED_PATH,
  STYLE_GENERATED_PATH,
  STYLE_SCHEMA_PATH,
  styleValidatorSource,
} from '../scripts/gen-validator.js';
import { EXIT } from '../src/diagnostics.js';
import { type PrivateCli, privateCli, ROOT } from './private-cli.js';

const SEED = readFileSync(join(ROOT, 'source/A-61-seed.yaml'), 'utf8');
const NY = readFileSync(join(ROOT, 'templates/ny.yaml'), 'utf8');
const GENEVA = readFileSync(join(ROOT, 'templates/geneva.yaml'), 'utf8');

let cli: PrivateCli;
const templates = () => join(cli.pkg, 'templates');

beforeAll(() => {
  cli = privateCli({ copyTemplates: true });
  mkdirSync(join(cli.pkg, 'src'));
  writeFileSync(join(cli.pkg, 'src/seed.yaml'), SEED);
  writeFileSync(join(cli.pkg, 'src/geneva.yaml'), SEED.replace(/^style: ny$/m, 'style: geneva'));
});
afterAll(() => cli.dispose());
beforeEach(() => {
  rmSync(join(templates(), 'ny.yaml'), { recursive: true, force: true });
  rmSync(join(templates(), 'geneva.yaml'), { recursive: true, force: true });
  writeFileSync(join(templates(), 'ny.yaml'), NY);
  writeFileSync(join(templates(), 'geneva.yaml'), GENEVA);
  rmSync(join(cli.pkg, 'o'), { recursive: true, force: true });
});

const build = (source: string, ...more: string[]) =>
  cli.run(['build', `src/${source}.yaml`, '--out', 'o', ...more], { cwd: cli.pkg });

/** The (line, col) of `needle` in `text`, 1-based. */
function at(text: string, needle: string): string {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(`no ${needle}`);
  const before = text.slice(0, i).split('\n');
  return `${before.length}:${(before[before.length - 1]?.length ?? 0) + 1}`;
}

/** Whether the build wrote any output at all (any format, the listing, the manifest). */
const written = (): boolean => {
  const out = join(cli.pkg, 'o');
  return existsSync(out) && readdirSync(out).length > 0;
};

describe('a template mistake: exit 1 at the template, nothing rendered', () => {
  it('a length without its unit in the right place (`width: 612 pt`)', async () => {
    const text = NY.replace('  width: 612pt', '  width: 612 pt');
    writeFileSync(join(templates(), 'ny.yaml'), text);
    for (const formats of [[], ['--format', 'html,docx']]) {
      const run = await build('seed', ...formats);
      expect(run.code).toBe(EXIT.invalid);
      const [first, line, caret, hint] = run.stderr.split('\n');
      expect(first).toBe(
        `templates/ny.yaml:${at(text, '612 pt')}: error bad-form: \`page.width\` \`612 pt\` does not have the required form`,
      );
      expect(line).toBe(' 8 |   width: 612 pt');
      expect(caret).toBe('   |          ^');
      expect(hint).toMatch(/^ {2}hint: A length with its unit/);
      expect(run.stderr).not.toContain('src/seed.yaml');
      expect(run.stderr).not.toContain('internal error');
      expect(written()).toBe(false);
    }
  });

  it('a missing `font.leading`', async () => {
    const text = NY.replace('  leading: 12pt\n', '');
    writeFileSync(join(templates(), 'ny.yaml'), text);
    const run = await build('seed');
    expect(run.code).toBe(EXIT.invalid);
    expect(run.stderr.split('\n')[0]).toBe(
      `templates/ny.yaml:${at(text, 'family: Tinos')}: error missing-key: \`font\` lacks the required key \`leading\``,
    );
    expect(written()).toBe(false);
  });

  it('a YAML error', async () => {
    const text = NY.replace('  width: 612pt', '  width: [612pt');
    writeFileSync(join(templates(), 'ny.yaml'), text);
    const run = await build('seed');
    expect(run.code).toBe(EXIT.invalid);
    expect(run.stderr).toMatch(/^templates\/ny\.yaml:\d+:\d+: error yaml-syntax: /);
    expect(run.stderr).not.toContain('src/seed.yaml');
  });

  it('an unknown key, with the nearest known one', async () => {
    const text = NY.replace('  leading: 12pt\n', '  leadng: 12pt\n');
    writeFileSync(join(templates(), 'ny.yaml'), text);
    const run = await build('seed');
    expect(run.code).toBe(EXIT.invalid);
    expect(run.stderr.split('\n')[0]).toBe(
      `templates/ny.yaml:${at(text, 'leadng')}: error unknown-key: unknown key \`leadng\` in \`font\``,
    );
    expect(run.stderr).toContain('did you mean `leading`?');
  });

  it('a mistake in the template another extends is placed in that template', async () => {
    const text = NY.replace('  size: 10pt\n  leading: 12pt', '  size: ten\n  leading: 12pt');
    writeFileSync(join(templates(), 'ny.yaml'), text);
    const run = await build('geneva');
    expect(run.code).toBe(EXIT.invalid);
    expect(run.stderr.split('\n')[0]).toBe(
      `templates/ny.yaml:${at(text, 'ten')}: error bad-form: \`font.size\` \`ten\` does not have the required form`,
    );
  });

  it('`extends` naming no template', async () => {
    const text = GENEVA.replace('extends: ny', 'extends: nyc');
    writeFileSync(join(templates(), 'geneva.yaml'), text);
    const run = await build('geneva');
    expect(run.code).toBe(EXIT.invalid);
    expect(run.stderr.split('\n')[0]).toBe(
      `templates/geneva.yaml:${at(text, 'nyc')}: error bad-value: \`extends\` names the template \`nyc\`, but there is no templates/nyc.yaml`,
    );
  });
});

describe('only what a build uses is read', () => {
  it('an unreadable geneva.yaml: a New York build works, a Geneva one is an I/O error naming it', async () => {
    // A folder where the file should be: unreadable as a file, whoever runs the test.
    rmSync(join(templates(), 'geneva.yaml'));
    mkdirSync(join(templates(), 'geneva.yaml'));
    const ny = await build('seed');
    expect(ny.stderr).toBe('');
    expect(ny.code).toBe(EXIT.ok);
    const geneva = await build('geneva');
    expect(geneva.code).toBe(EXIT.io);
    expect(geneva.stderr).toBe(
      'templates/geneva.yaml: error read-failed: cannot read: is a folder, not a file\n',
    );
  });

  it('a broken geneva.yaml does not stop a New York build', async () => {
    writeFileSync(join(templates(), 'geneva.yaml'), 'page: [');
    const run = await build('seed');
    expect(run.code).toBe(EXIT.ok);
  });
});

describe('a package file that cannot be read: exit 3 naming it', () => {
  it('a templates folder that cannot be listed', async () => {
    // A file where the folder should be: unreadable as a folder, whoever runs the test.
    const dir = templates();
    renameSync(dir, `${dir}.kept`);
    writeFileSync(dir, '');
    try {
      const run = await build('seed');
      expect(run.code).toBe(EXIT.io);
      expect(run.stderr).toBe(
        'templates: error read-failed: cannot read: a part of the path is not a folder\n',
      );
    } finally {
      rmSync(dir);
      renameSync(`${dir}.kept`, dir);
    }
  });

  it('a missing font file: every build names it (the source check reads what the fonts print)', async () => {
    // The package's own node_modules: the repository's, but a body font package missing a face.
    const modules = join(cli.pkg, 'node_modules');
    rmSync(modules);
    mkdirSync(join(modules, '@expo-google-fonts'), { recursive: true });
    for (const name of readdirSync(join(ROOT, 'node_modules'))) {
      if (name !== '@expo-google-fonts')
        symlinkSync(join(ROOT, 'node_modules', name), join(modules, name));
    }
    for (const name of readdirSync(join(ROOT, 'node_modules/@expo-google-fonts'))) {
      if (name !== 'tinos')
        symlinkSync(
          join(ROOT, 'node_modules/@expo-google-fonts', name),
          join(modules, '@expo-google-fonts', name),
        );
    }
    const tinos = join(modules, '@expo-google-fonts/tinos');
    cpSync(join(ROOT, 'node_modules/@expo-google-fonts/tinos'), tinos, { recursive: true });
    rmSync(join(tinos, '700Bold/Tinos_700Bold.ttf'));
    const missing =
      'node_modules/@expo-google-fonts/tinos/700Bold/Tinos_700Bold.ttf: error read-failed: cannot read: no such file\n';
    try {
      // The missing-glyph check (src/load/glyphs.ts) asks the layout's fonts what they print,
      // whatever the formats: an HTML and DOCX build needs them too.
      for (const formats of [['--format', 'html,docx'], []]) {
        const run = await build('seed', ...formats);
        expect(run.stderr).toBe(missing);
        expect(run.code).toBe(EXIT.io);
        expect(written()).toBe(false);
      }
    } finally {
      rmSync(modules, { recursive: true, force: true });
      symlinkSync(join(ROOT, 'node_modules'), modules);
    }
  });
});

describe('templates/style.schema.json', () => {
  it('src/style/style-validator.generated.ts is what scripts/gen-validator.ts generates from it now', () => {
    const fresh = styleValidatorSource(readFileSync(STYLE_SCHEMA_PATH, 'utf8'));
    expect(readFileSync(STYLE_GENERATED_PATH, 'utf8') === fresh).toBe(true);
    expect(STYLE_GENERATED_PATH).not.toBe(GENERATED_PATH);
  });

  it('is the schema every template points its editor at', () => {
    const schema = JSON.parse(readFileSync(STYLE_SCHEMA_PATH, 'utf8')) as { $schema: string };
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    for (const name of readdirSync(join(ROOT, 'templates')).filter((f) => f.endsWith('.yaml'))) {
      const first = readFileSync(join(ROOT, 'templates', name), 'utf8').split('\n')[0];
      expect(first, name).toBe('# yaml-language-server: $schema=./style.schema.json');
    }
  });
});
