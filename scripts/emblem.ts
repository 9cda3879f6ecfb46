/**
 * Writes templates/emblem.svg: the United Nations emblem drawn from public-domain data. The world
 * map is Natural Earth's land (public domain, through the world-atlas package) in an azimuthal
 * equidistant projection centred on the North Pole (d3-geo), the prime meridian pointing down
 * (North America to the left, Africa below, as in A/80/434's emblem),
 * clipped at 60° south as the emblem clips it; over it the concentric circles (every 30° of
 * latitude: four rings and the centre) and eight meridians, inside a wreath of two symmetric olive
 * branches. The box has the proportions of the emblem's image in A/80/434-S/2025/632 (56.1 x 47
 * pt, un-format.md); the templates place and size it (masthead.emblem).
 *
 * The official emblem file replaces it where its use is licensed: save it as templates/emblem.svg
 * (an SVG with a viewBox) with an aria-label on its root element, which the PDF takes as the
 * emblem's alternative text. Run: npx tsx scripts/emblem.ts
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { geoAzimuthalEquidistant, geoPath } from 'd3-geo';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { PACKAGE_ROOT } from '../src/resources.js';

const require = createRequire(import.meta.url);
const land = require('world-atlas/land-110m.json') as Topology<{ land: GeometryCollection }>;

/** The drawing's box: 100 wide, as tall as the emblem's measured box (56.1 x 47 pt). */
const W = 100;
const H = Math.round(((100 * 47) / 56.1) * 10) / 10;
/** The globe: centre and radius (60° south on the outer circle). */
const CX = W / 2;
const CY = 37;
const R = 33;
/** Degrees from the pole to the clipped edge. */
const EDGE = 150;

const num = (n: number): string => String(Math.round(n * 100) / 100);

// Distance from the pole is linear in this projection: 150° of arc to R.
const projection = geoAzimuthalEquidistant()
  .rotate([0, -90, 0])
  .scale(R / ((EDGE * Math.PI) / 180))
  .translate([CX, CY])
  .clipAngle(EDGE)
  .precision(0.2);
const path = geoPath(projection).digits(2);

const landPath = path(feature(land, land.objects.land)) ?? '';

/** Rings every 30° of latitude (60° N, 30° N, the equator, 30° S) and the outer circle. */
const rings = [1, 2, 3, 4, 5].map(
  (k) =>
    `<circle cx="${num(CX)}" cy="${num(CY)}" r="${num((R * k) / 5)}" fill="none" stroke="#000" stroke-width="${k === 5 ? 1.4 : 0.9}"/>`,
);
/** Eight meridians, every 45° from the prime meridian, to the edge. */
const meridians = [0, 45, 90, 135, 180, 225, 270, 315].map((deg) => {
  const a = (deg * Math.PI) / 180;
  const x = CX + R * Math.sin(a);
  const y = CY + R * Math.cos(a);
  // From the innermost ring out: the pole stays open, as in the emblem.
  const x0 = CX + (R / 5) * Math.sin(a);
  const y0 = CY + (R / 5) * Math.cos(a);
  return `<line x1="${num(x0)}" y1="${num(y0)}" x2="${num(x)}" y2="${num(y)}" stroke="#000" stroke-width="0.9"/>`;
});

/**
 * One olive branch, the left one: leaves along an arc round the globe from below it to beside
 * its top, in pairs, one on each side of the stem, growing smaller towards the tip.
 */
function branch(): string {
  const parts: string[] = [];
  const arcR = R + 8.5;
  // Angles from straight down, the branch rising on the left: its stem starts past the bottom,
  // crossing the other branch's, and ends beside the globe's top.
  const from = -14;
  const to = 158;
  const at = (t: number): [number, number] => {
    const a = (t * Math.PI) / 180;
    return [CX - arcR * Math.sin(a), CY + arcR * Math.cos(a)];
  };
  // The stem's direction towards the tip, in degrees as SVG rotates.
  const along = (t: number): number => {
    const a = (t * Math.PI) / 180;
    return (Math.atan2(-Math.sin(a), -Math.cos(a)) * 180) / Math.PI;
  };
  const stem: string[] = [];
  for (let t = from; t <= to; t += 4) stem.push(at(t).map(num).join(' '));
  parts.push(`<path d="M${stem.join(' L')}" fill="none" stroke="#000" stroke-width="1.1"/>`);
  const pairs = 13;
  for (let i = 0; i < pairs; i++) {
    const t = from + 18 + ((to - from - 22) * i) / (pairs - 1);
    const [x, y] = at(t);
    const size = 1 - (0.4 * i) / (pairs - 1);
    const len = 12.5 * size;
    const wid = 3.3 * size;
    const leaf = `M0 0 Q${num(len * 0.45)} ${num(-wid)} ${num(len)} 0 Q${num(len * 0.45)} ${num(wid)} 0 0Z`;
    // One leaf outside the stem, one inside, both leaning towards the tip.
    for (const side of [-1, 1]) {
      parts.push(
        `<path transform="translate(${num(x)} ${num(y)}) rotate(${num(along(t) + side * 24)})" d="${leaf}" fill="#000"/>`,
      );
    }
  }
  const [tx, ty] = at(to);
  parts.push(
    `<path transform="translate(${num(tx)} ${num(ty)}) rotate(${num(along(to))})" d="M0 0 Q3 -1.8 6 0 Q3 1.8 0 0Z" fill="#000"/>`,
  );
  return parts.join('\n');
}

/** The emblem's SVG source, as templates/emblem.svg holds it. */
export function emblemSvg(): string {
  const left = branch();
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="United Nations emblem">`,
    '<title>United Nations emblem (drawn by scripts/emblem.ts from Natural Earth data; replace with the official file where licensed)</title>',
    // The projection clips the land at the edge itself (clipAngle): no clip path is needed.
    `<path d="${landPath}" fill="#000"/>`,
    `<g>${meridians.join('')}</g>`,
    ...rings,
    `<g>\n${left}\n</g>`,
    `<g transform="translate(${W} 0) scale(-1 1)">\n${left}\n</g>`,
    '</svg>',
    '',
  ].join('\n');
}

// Run as a script (not imported by a test): write the file.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const svg = emblemSvg();
  const out = join(PACKAGE_ROOT, 'templates', 'emblem.svg');
  writeFileSync(out, svg);
  console.log(`wrote ${out} (${svg.length} bytes)`);
}
