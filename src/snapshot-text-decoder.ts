/**
 * A TextDecoder that V8 can write into a start-up snapshot (src/snapshot.ts).
 *
 * Node's TextDecoder holds an ICU converter, which V8 cannot write into a snapshot; fflate (which
 * the DOCX renderer loads) makes one when its module loads and keeps it. While the warm-up runs,
 * `TextDecoder` is this one, which decodes UTF-8 as Node's does (replacement characters, a
 * leading byte order mark dropped) through Buffer, and any other encoding through Node's own,
 * made per call; a stream (`{ stream: true }`) it refuses, as a TextDecoder without streaming
 * would, and fflate then streams with its own decoder. A decoder made while the warm-up ran
 * keeps working so afterwards; everything made later gets Node's.
 */
/** Node's own TextDecoder, whatever `globalThis.TextDecoder` is meanwhile. */
const NodeTextDecoder = globalThis.TextDecoder;

export class SnapshotTextDecoder {
  readonly encoding: string;
  readonly fatal: boolean;
  readonly ignoreBOM: boolean;
  constructor(label = 'utf-8', options: { fatal?: boolean; ignoreBOM?: boolean } = {}) {
    this.encoding = new NodeTextDecoder(label).encoding;
    this.fatal = options.fatal === true;
    this.ignoreBOM = options.ignoreBOM === true;
  }
  decode(input?: ArrayBufferView | ArrayBuffer, options?: { stream?: boolean }): string {
    if (options?.stream) throw new TypeError('this TextDecoder does not stream');
    const { encoding, fatal, ignoreBOM } = this;
    if (encoding !== 'utf-8' || fatal) {
      return new NodeTextDecoder(encoding, { fatal, ignoreBOM }).decode(input);
    }
    const bytes =
      input === undefined
        ? Buffer.alloc(0)
        : ArrayBuffer.isView(input)
          ? Buffer.from(input.buffer, input.byteOffset, input.byteLength)
          : Buffer.from(input);
    const text = bytes.toString('utf8');
    return !ignoreBOM && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }
}
