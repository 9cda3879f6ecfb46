/**
 * Writes templates/emblem.svg: the United Nations emblem drawn from public-domain data. The world
 * map is Natural Earth's land (public domain, through the world-atlas package, 1:110m, simplified
 * with topojson-simplify) in an azimuthal equidistant projection centred on the North Pole
 * (d3-geo), the prime meridian pointing down (North America to the left, Africa below, as in
 * A/80/434's emblem), clipped at 60° south as the emblem clips it; over it the five concentric
 * circles (every 30° of latitude: 60° N, 30° N, the equator, 30° S and the edge at 60° S) and
 * eight meridians, inside a wreath of two olive branches, each a stem curving up from below the
 * globe with pairs of leaves along it, the stems crossing under the globe and a gap at the top.
 * Globe, rings and wreath are placed as measured on A/80/434-S/2025/632's emblem image (56.1 x 47
 * pt, un-format.md); the templates place and size the box (masthead.emblem).
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
import { presimplify, simplify, sphericalTriangleArea } from 'topojson-simplify';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { PACKAGE_ROOT } from '../src/resources.js';

const require = createRequire(import.meta.url);
const land = require('world-atlas/land-110m.json') as Topology<{ land: GeometryCollection }>;

/** The drawing's box: 100 wide, as tall as the emblem's measured box (56.1 x 47 pt). */
const W = 100;
const H = Math.round(((100 * 47) / 56.1) * 10) / 10;
/**
 * The globe, measured in A/80/434's emblem (its image at 600 dpi): centre and outer circle's
 * radius in the drawing's units (60° south on the outer circle), and the strokes' widths.
 */
const CX = W / 2;
const CY = 34.8;
const R = 34.5;
const RING_STROKE = 1.15;
const EDGE_STROKE = 1.3;
const MERIDIAN_STROKE = 0.85;
/**
 * The land's outline, drawn as wide as this: the emblem's coasts are bolder and rounder than
 * Natural Earth's at this size (its small islands are blots, its straits closed).
 */
const LAND_STROKE = 0.5;
/** White between the outer circle's centre line and the wreath. */
const GLOBE_MARGIN = 2.2;
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
const path = geoPath(projection).digits(1);

/**
 * Coast points that hold less area than this (steradians, Visvalingam's weight) are dropped:
 * about 0.02 units squared on the drawing (100 units for 56.1pt). At 600 dpi the map then differs
 * from the unsimplified one in 192 pixels of 210,000, and the file is half as large.
 */
const MIN_WEIGHT = 1e-4;
const simple = simplify(presimplify(land, sphericalTriangleArea), MIN_WEIGHT);
const landPath = path(feature(simple, simple.objects.land)) ?? '';

/** Rings every 30° of latitude (60° N, 30° N, the equator, 30° S) and the outer circle. */
const rings = [1, 2, 3, 4, 5].map(
  (k) =>
    `<circle cx="${num(CX)}" cy="${num(CY)}" r="${num((R * k) / 5)}" fill="none" stroke="#000" stroke-width="${k === 5 ? EDGE_STROKE : RING_STROKE}"/>`,
);
/** Eight meridians, every 45° from the prime meridian, to the edge. */
const meridians = [0, 45, 90, 135, 180, 225, 270, 315].map((deg) => {
  const a = (deg * Math.PI) / 180;
  const x = CX + R * Math.sin(a);
  const y = CY + R * Math.cos(a);
  // From the innermost ring out: the pole stays open, as in the emblem.
  const x0 = CX + (R / 5) * Math.sin(a);
  const y0 = CY + (R / 5) * Math.cos(a);
  return `<line x1="${num(x0)}" y1="${num(y0)}" x2="${num(x)}" y2="${num(y)}" stroke="#000" stroke-width="${MERIDIAN_STROKE}"/>`;
});

type Point = readonly [number, number];

/**
 * The left branch's stem, from its cut end below the globe up to its tip beside the globe's top,
 * through points read off A/80/434's emblem (in the drawing's units): it runs down and in along
 * the bottom, crosses the other stem under the globe's lowest point, and its cut end points down
 * and out on the other side (the two ends make the emblem's inverted V).
 */
const STEM: readonly Point[] = [
  [61.1, 83.1],
  [49.8, 72.6],
  [37, 68.6],
  [21.5, 62],
  [9.8, 50.5],
  [5.2, 35],
  [8.9, 19.2],
  [17.5, 8.2],
  [23.5, 4.2],
];

/** A Catmull-Rom curve through the points, sampled finely: positions along the stem. */
function sampleStem(points: readonly Point[], steps: number): Point[] {
  const out: Point[] = [];
  const p = (i: number): Point => points[Math.max(0, Math.min(points.length - 1, i))] as Point;
  for (let i = 0; i < points.length - 1; i++) {
    const [p0, p1, p2, p3] = [p(i - 1), p(i), p(i + 1), p(i + 2)];
    for (let k = 0; k < steps; k++) {
      const t = k / steps;
      const t2 = t * t;
      const t3 = t2 * t;
      const c = (j: 0 | 1): number =>
        0.5 *
        (2 * p1[j] +
          (-p0[j] + p2[j]) * t +
          (2 * p0[j] - 5 * p1[j] + 4 * p2[j] - p3[j]) * t2 +
          (-p0[j] + 3 * p1[j] - 3 * p2[j] + p3[j]) * t3);
      out.push([c(0), c(1)]);
    }
  }
  out.push(p(points.length - 1));
  return out;
}

/** Where the stem is at arc length s (from the cut end), and its direction there (degrees). */
function stemAt(samples: readonly Point[], lengths: readonly number[], s: number): [Point, number] {
  let i = 1;
  while (i < samples.length - 1 && (lengths[i] ?? 0) < s) i++;
  const a = samples[i - 1] as Point;
  const b = samples[i] as Point;
  const l0 = lengths[i - 1] ?? 0;
  const l1 = lengths[i] ?? 0;
  const f = l1 > l0 ? (s - l0) / (l1 - l0) : 0;
  const at: Point = [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f];
  return [at, (Math.atan2(b[1] - a[1], b[0] - a[0]) * 180) / Math.PI];
}

/** The branch's leaves: pairs from above the crossing to the tip, long at the base. */
const LEAF_PAIRS = 11;
const LEAF_LENGTH = [24, 12] as const;
const LEAF_WIDTH = [5.4, 3.6] as const;
/** Each leaf's angle away from the stem, outer and inner side (degrees). */
const LEAF_SPREAD = [14, 10] as const;
const STEM_STROKE = 1.9;
/** White round each leaf, so that overlapping leaves stay apart as printed. */
const LEAF_GAP = 0.8;

/**
 * One olive branch, the left one, as the emblem draws it: a stem curving up from below the globe,
 * leaves in pairs along it (one outside the stem, one inside, both leaning towards the tip,
 * longest at the base), a single leaf at the tip, which stops short of the top so that the two
 * branches leave a gap there.
 */
function branch(): { stem: string; leaves: string } {
  const samples = sampleStem(STEM, 8);
  const lengths = [0];
  for (let i = 1; i < samples.length; i++) {
    const [a, b] = [samples[i - 1] as Point, samples[i] as Point];
    lengths.push((lengths[i - 1] ?? 0) + Math.hypot(b[0] - a[0], b[1] - a[1]));
  }
  const total = lengths[lengths.length - 1] ?? 0;
  const crossing = lengths[samples.findIndex((p) => p[0] <= CX)] ?? 0;
  const stemPoints = samples.map((p) => p.map(num).join(' '));
  const stem = `<path d="M${stemPoints.join(' L')}" fill="none" stroke="#000" stroke-width="${STEM_STROKE}" stroke-linecap="round"/>`;
  const parts: string[] = [];
  const leaf = (len: number, wid: number): string =>
    `M0 0 Q${num(len * 0.4)} ${num(-wid * 1.1)} ${num(len)} 0 Q${num(len * 0.5)} ${num(wid * 0.9)} 0 0Z`;
  const first = crossing + 0.5;
  const last = total - 7;
  // From the tip down, so that each leaf lies over the one above it, as in the emblem.
  for (let i = LEAF_PAIRS - 1; i >= 0; i--) {
    const f = i / (LEAF_PAIRS - 1);
    const [[x, y], dir] = stemAt(samples, lengths, first + (last - first) * f);
    const len = LEAF_LENGTH[0] + (LEAF_LENGTH[1] - LEAF_LENGTH[0]) * f;
    const wid = LEAF_WIDTH[0] + (LEAF_WIDTH[1] - LEAF_WIDTH[0]) * f;
    // The stem runs clockwise on screen (up the left side): outside is to its left.
    for (const [side, spread] of [
      [-1, LEAF_SPREAD[0]],
      [1, LEAF_SPREAD[1]],
    ] as const) {
      parts.push(
        `<path transform="translate(${num(x)} ${num(y)}) rotate(${num(dir + side * spread)})" d="${leaf(len, wid * (side === -1 ? 1 : -1))}" fill="#000" stroke="#fff" stroke-width="${LEAF_GAP}"/>`,
      );
    }
  }
  const [[tx, ty], tdir] = stemAt(samples, lengths, total - 1.5);
  parts.push(
    `<path transform="translate(${num(tx)} ${num(ty)}) rotate(${num(tdir)})" d="${leaf(LEAF_LENGTH[1] * 0.8, LEAF_WIDTH[1])}" fill="#000" stroke="#fff" stroke-width="${LEAF_GAP}"/>`,
  );
  return { stem, leaves: parts.join('\n') };
}

/** The emblem's SVG source, as templates/emblem.svg holds it. */
export function emblemSvg(): string {
  const { stem, leaves } = branch();
  const mirror = `<g transform="translate(${W} 0) scale(-1 1)">`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="United Nations emblem">`,
    '<title>United Nations emblem (drawn by scripts/emblem.ts from Natural Earth data; replace with the official file where licensed)</title>',
    // Both stems under both branches' leaves: the stems cross below the globe, hidden above the
    // crossing by the lowest leaves.
    stem,
    `${mirror}${stem}</g>`,
    `<g>\n${leaves}\n</g>`,
    `${mirror}\n${leaves}\n</g>`,
    // The globe over the wreath on a white disc a little wider than it: the leaves never touch
    // the outer circle, as in the emblem.
    `<circle cx="${num(CX)}" cy="${num(CY)}" r="${num(R + GLOBE_MARGIN)}" fill="#fff"/>`,
    // The projection clips the land at the edge itself (clipAngle): no clip path is needed.
    `<path d="${landPath}" fill="#000" stroke="#000" stroke-width="${LAND_STROKE}" stroke-linejoin="round"/>`,
    `<g>${meridians.join('')}</g>`,
    ...rings,
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
