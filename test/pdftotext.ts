/**
 * poppler's pdftotext, for the tests that read a PDF back as a second reader does (by position,
 * not in drawing order as pdf.js): whether it is installed, and the text of a PDF.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Whether pdftotext runs here; says why the tests that need it skip when not. */
export function hasPdftotext(): boolean {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    console.log('skipped: pdftotext (poppler-utils) is not installed');
    return false;
  }
}

/** The text pdftotext reads from `pdf` (UTF-8, its default layout). */
export function pdftotext(pdf: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'undoc-p2t-'));
  try {
    writeFileSync(join(dir, 'x.pdf'), pdf);
    return execFileSync('pdftotext', ['-enc', 'UTF-8', join(dir, 'x.pdf'), '-'], {
      encoding: 'utf8',
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
