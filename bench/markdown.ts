/**
 * The document model as pandoc Markdown: the same text the benchmark's peer (pandoc) converts, so
 * both tools do comparable work. Numbered paragraphs become an ordered list keeping their numbers,
 * sub-items pandoc's "(a)"/"(i)" lists, footnotes `[^n]`.
 */
import type { Block, Rich, SubItem, UnDocument } from '../src/model.js';
import { mastheadLines, signatureNameLine } from '../src/text.js';

const escapeMd = (text: string) => text.replace(/[\\`*_[\]#<>|]/g, (c) => `\\${c}`);

function inline(rich: Rich): string {
  return rich.map(node).join('');
}

function node(n: Rich[number]): string {
  switch (n.kind) {
    case 'text':
      return escapeMd(n.text);
    case 'italic':
      return `*${inline(n.children)}*`;
    case 'bold':
      return `**${inline(n.children)}**`;
    case 'noteRef':
      return `[^${n.number}]`;
  }
}

function items(list: readonly SubItem[], depth: number): string[] {
  const pad = '    '.repeat(depth);
  return list.flatMap((i) => [
    `${pad}${i.label} ${inline(i.text)}`,
    '',
    ...items(i.items, depth + 1),
  ]);
}

function block(b: Block): string[] {
  switch (b.kind) {
    case 'chapter':
      return [`## ${b.number}. ${inline(b.title)}`, ''];
    case 'heading':
      return [`${b.level === 1 ? '###' : '####'} ${b.number}. ${inline(b.title)}`, ''];
    case 'subheading':
      return [`*${inline(b.title)}*`, ''];
    case 'paragraph':
      return [
        b.number === undefined ? inline(b.text) : `${b.number}. ${inline(b.text)}`,
        '',
        ...items(b.items, 1),
      ];
  }
}

/** The whole document as pandoc Markdown (masthead as plain lines, then body, then notes). */
export function toMarkdown(doc: UnDocument): string {
  const out: string[] = [`# ${inline(doc.title)}`, ''];
  out.push(...mastheadLines(doc).map((l) => `${escapeMd(l)}\\`), '');
  if (doc.subtitle) out.push(`*${inline(doc.subtitle)}*`, '');
  if (doc.letter) {
    for (const p of doc.letter.paragraphs) out.push(inline(p.text), '');
    for (const s of doc.letter.signatories) {
      out.push(
        `${escapeMd(signatureNameLine(doc, s))}\\`,
        ...s.titleLines.map((t) => `${inline(t)}\\`),
        '',
      );
    }
  }
  out.push(...doc.body.flatMap(block));
  for (const a of doc.annexes) {
    out.push(`## ${inline(a.heading)}`, '');
    if (a.title) out.push(`### ${inline(a.title)}`, '');
    if (a.placeDate) out.push(`*${inline(a.placeDate)}*`, '');
    out.push(...a.blocks.flatMap(block));
  }
  for (const n of doc.footnotes) out.push(`[^${n.number}]: ${inline(n.text)}`, '');
  return `${out.join('\n')}\n`;
}
