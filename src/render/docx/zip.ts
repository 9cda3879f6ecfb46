/**
 * The DOCX package's zip container, laid out as fflate's `zipSync(files, { level: 6 })` lays it out
 * (fflate 0.8: version 20, no flags, DEFLATE, DOS time from the Date's local fields, no extra
 * fields or comments), each part's DEFLATE stream made by Node's zlib at level 6 (native: fflate's
 * deflate ran interpreted in a cold process, ~70 ms of a one-document build) and kept per process
 * by content: most parts are the same in every document (theme, settings, numbering, styles of a
 * layout, the emblem and recycle pictures, the empty relationship parts each header and footer
 * has). The cache is a pure memo of `deflateRawSync`: the bytes are the same with it, without it,
 * and across documents. They depend on Node's zlib, as the PDF's content streams already did
 * (pdfkit compresses with it): the engine fingerprint names zlib's version (src/cli/fingerprint.ts).
 */
import * as zlib from 'node:zlib';

/** One part as zipped: its CRC-32 and its DEFLATE stream. */
interface Deflated {
  readonly crc: number;
  readonly data: Uint8Array;
}

/** fflate's CRC-32 table (polynomial 0xEDB88320), as signed 32-bit words. */
const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? -306674912 ^ (c >>> 1) : c >>> 1;
    t[i] = c;
  }
  return t;
})();

/** Node's native CRC-32 (Node 20.15 and later: the same function, computed natively). */
const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;

/** The CRC-32 of `d`, as a signed 32-bit word (the header writes it unsigned). */
function crc32(d: Uint8Array): number {
  if (nativeCrc32 !== undefined) return nativeCrc32(d) | 0;
  let c = -1;
  for (let i = 0; i < d.length; i++) c = (CRC_TABLE[(c ^ (d[i] ?? 0)) & 255] ?? 0) ^ (c >>> 8);
  return ~c;
}

/**
 * Compressed parts by CRC-32 and length, each with the bytes it compresses (compared before a
 * reuse, so a CRC collision only costs a miss). Least recently used first: parts that recur in
 * every document stay, a document's own parts age out.
 */
const memo = new Map<string, { readonly raw: Uint8Array; readonly z: Deflated }>();
/** Parts kept at most (a seed DOCX has 33, about 20 of them shared by every document). */
const MEMO_PARTS = 160;
/** Parts larger than this (bytes) are compressed each time: big parts are a document's own. */
const MEMO_MAX_PART = 256 * 1024;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/** A raw DEFLATE stream of `raw` at level 6 (zlib's defaults otherwise: 32 KiB window, memLevel 8). */
function deflate(raw: Uint8Array): Uint8Array {
  const z = zlib.deflateRawSync(raw, { level: 6 });
  return new Uint8Array(z.buffer, z.byteOffset, z.length);
}

/** A part's CRC-32 and DEFLATE stream (level 6), from the memo when the same bytes were seen. */
function deflated(raw: Uint8Array): Deflated {
  const crc = crc32(raw);
  if (raw.length > MEMO_MAX_PART) return { crc, data: deflate(raw) };
  const key = `${crc}:${raw.length}`;
  const hit = memo.get(key);
  if (hit && sameBytes(hit.raw, raw)) {
    memo.delete(key);
    memo.set(key, hit);
    return hit.z;
  }
  const z = { crc, data: deflate(raw) };
  memo.delete(key);
  memo.set(key, { raw: Uint8Array.from(raw), z });
  if (memo.size > MEMO_PARTS) {
    const oldest = memo.keys().next().value;
    if (oldest !== undefined) memo.delete(oldest);
  }
  return z;
}

/** DOS date and time of a Date's local fields, as fflate packs them. */
function dosTime(t: Date): number {
  const y = t.getFullYear() - 1980;
  if (y < 0 || y > 119) throw new Error('zip: date not representable in DOS time');
  return (
    ((y << 25) |
      ((t.getMonth() + 1) << 21) |
      (t.getDate() << 16) |
      (t.getHours() << 11) |
      (t.getMinutes() << 5) |
      (t.getSeconds() >> 1)) >>>
    0
  );
}

const encoder = new TextEncoder();

/**
 * Zips `parts` (path → bytes, in the order given) with every entry stamped `mtime`: fflate's
 * `zipSync` layout with `{ level: 6 }` and that `mtime` on each file, zlib's DEFLATE streams.
 */
export function zipParts(
  parts: ReadonlyArray<readonly [string, Uint8Array]>,
  mtime: Date,
): Uint8Array {
  const time = dosTime(mtime);
  const entries = parts.map(([path, raw]) => {
    const name = encoder.encode(path);
    if (name.length > 65535) throw new Error(`zip: part name too long: ${path}`);
    // fflate marks a name as UTF-8 (flag bit 11) when its bytes outnumber its characters.
    return { name, utf8: name.length !== path.length, size: raw.length, ...deflated(raw) };
  });
  let local = 0;
  let central = 0;
  for (const e of entries) {
    local += 30 + e.name.length + e.data.length;
    central += 46 + e.name.length;
  }
  const out = new Uint8Array(local + central + 22);
  const view = new DataView(out.buffer);
  let at = 0;
  let cd = local;
  for (const e of entries) {
    const offset = at;
    // Local file header.
    view.setUint32(at, 0x04034b50, true);
    header(view, at + 4, e, time);
    out.set(e.name, at + 30);
    out.set(e.data, at + 30 + e.name.length);
    at += 30 + e.name.length + e.data.length;
    // Central directory header: "made by" version 20 on MS-DOS, then the local header's fields.
    view.setUint32(cd, 0x02014b50, true);
    view.setUint16(cd + 4, 20, true);
    header(view, cd + 6, e, time);
    view.setUint32(cd + 42, offset, true);
    out.set(e.name, cd + 46);
    cd += 46 + e.name.length;
  }
  // End of central directory.
  view.setUint32(cd, 0x06054b50, true);
  view.setUint16(cd + 8, entries.length, true);
  view.setUint16(cd + 10, entries.length, true);
  view.setUint32(cd + 12, central, true);
  view.setUint32(cd + 16, local, true);
  return out;
}

/** The fields a local and a central header share, from "version needed" to "extra length". */
function header(
  view: DataView,
  at: number,
  e: {
    readonly utf8: boolean;
    readonly crc: number;
    readonly data: Uint8Array;
    readonly size: number;
    readonly name: Uint8Array;
  },
  time: number,
): void {
  view.setUint16(at, 20, true);
  view.setUint16(at + 2, e.utf8 ? 0x0800 : 0, true);
  view.setUint16(at + 4, 8, true);
  view.setUint32(at + 6, time, true);
  view.setUint32(at + 10, e.crc >>> 0, true);
  view.setUint32(at + 14, e.data.length, true);
  view.setUint32(at + 18, e.size, true);
  view.setUint16(at + 22, e.name.length, true);
  view.setUint16(at + 24, 0, true);
}
