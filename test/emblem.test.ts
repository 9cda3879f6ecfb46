/**
 * templates/emblem.svg is what scripts/emblem.ts draws from Natural Earth's land (world-atlas):
 * the file is up to date with the script, and holds the emblem's parts — the map, four rings and
 * the centre, eight meridians, two mirrored branches — under the label the PDF takes as its
 * alternative text. A file replaced by the official emblem (no longer the script's) is checked
 * for its label only.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emblemSvg } from '../scripts/emblem.js';
import { TEMPLATES_DIR } from '../src/resources.js';

const file = readFileSync(join(TEMPLATES_DIR, 'emblem.svg'), 'utf8');
const ours = file.includes('drawn by scripts/emblem.ts');
if (!ours) console.warn('emblem: templates/emblem.svg is not the script’s (the official file?)');

describe('the emblem', () => {
  it('carries the label the PDF uses as alternative text', () => {
    expect(file).toMatch(/^<svg\b[^>]*\saria-label="United Nations emblem"/u);
  });

  it.skipIf(!ours)('is what scripts/emblem.ts draws', () => {
    expect(emblemSvg()).toBe(file);
  });

  it.skipIf(!ours)(
    'has the map, four rings and the centre, eight meridians and two branches',
    () => {
      const circles = [
        ...file.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)" fill="none"/gu),
      ];
      expect(circles).toHaveLength(5);
      const radii = circles.map((c) => Number(c[3]));
      // Evenly spaced: 30° of latitude each, the outer one at 60° south.
      radii.forEach((r, i) => {
        expect(r).toBeCloseTo(((radii[4] ?? 0) * (i + 1)) / 5, 1);
      });
      expect(file.match(/<line /gu)).toHaveLength(8);
      const land = /<path d="(M[^"]+)" fill="#000" stroke/u.exec(file)?.[1] ?? '';
      expect(land.length).toBeGreaterThan(10000);
      // The left branch and its mirror image: a stem each, then each one's leaves in pairs and
      // the tip's, under the globe's white disc.
      const mirror = '<g transform="translate(100 0) scale(-1 1)">';
      const groups = file.split(mirror);
      expect(groups).toHaveLength(3);
      const leaves = (s: string | undefined) => (s?.match(/rotate\(/gu) ?? []).length;
      const right = groups[2]?.slice(0, groups[2].indexOf('</g>'));
      const left = groups[1]?.slice(groups[1].lastIndexOf('<g>'));
      expect(leaves(right)).toBeGreaterThan(20);
      expect(leaves(right) % 2).toBe(1);
      expect(leaves(right)).toBe(leaves(left));
    },
  );
});
