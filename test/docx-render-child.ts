/**
 * Renders one source to DOCX and prints the bytes' SHA-256: run in a child process under another
 * TZ by test/docx.test.ts to prove the package does not depend on the machine's time zone.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadSource } from '../src/load/index.js';
import { renderDocx } from '../src/render/docx/index.js';
import { loadResources } from '../src/resources.js';

const path = process.argv[2];
if (!path) throw new Error('usage: docx-render-child <source.yaml>');
const model = loadSource(readFileSync(path, 'utf8'), 'child').model;
if (!model) throw new Error(`${path}: does not load`);
const resources = loadResources();
const bytes = await renderDocx(model, resources.styles[model.style], resources);
process.stdout.write(createHash('sha256').update(bytes).digest('hex'));
