/** The documents the PDF tests render: the seed (issued and draft), every feature, and Geneva. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSource } from '../src/load/index.js';
import type { UnDocument } from '../src/model.js';
import { renderPdf } from '../src/render/pdf/index.js';
import { loadResources, PACKAGE_ROOT } from '../src/resources.js';
import type { Style } from '../src/style/style.js';

/** A rendered fixture: its model, style and bytes. */
export interface Rendered {
  readonly doc: UnDocument;
  readonly style: Style;
  readonly bytes: Uint8Array;
}

/** The fixtures by name: file, and whether to switch it to the Geneva layout. */
export const FIXTURES = {
  seed: { file: 'source/A-61-859.yaml', geneva: false },
  draft: { file: 'source/A-61-seed.yaml', geneva: false },
  features: { file: 'test/fixtures/valid/features.yaml', geneva: false },
  geneva: { file: 'test/fixtures/valid/features.yaml', geneva: true },
  /** What issued letters need: among them a symbol without a job number yet. */
  issued: { file: 'test/fixtures/valid/issued.yaml', geneva: false },
} as const;

/** A fixture's name. */
export type FixtureName = keyof typeof FIXTURES;

/** Loads a fixture's model (the Geneva variant has `style: geneva` substituted). */
export function loadFixture(name: FixtureName): UnDocument {
  const { file, geneva } = FIXTURES[name];
  let text = readFileSync(join(PACKAGE_ROOT, file), 'utf8');
  if (geneva) text = text.replace(/^style: ny$/mu, 'style: geneva');
  const { model, diagnostics } = loadSource(text, name);
  if (!model) throw new Error(`${file}: ${diagnostics.map((p) => p.message).join('; ')}`);
  return model;
}

/** Renders a fixture with the package's resources. */
export async function renderFixture(name: FixtureName): Promise<Rendered> {
  const resources = loadResources();
  const doc = loadFixture(name);
  const style = resources.styles[doc.style];
  return { doc, style, bytes: await renderPdf(doc, style, resources) };
}
