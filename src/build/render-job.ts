/**
 * One document's render, as a worker (or the main thread) runs it: source text → model → bytes of
 * each format, or the problems that stopped it. No file system: the caller sends the text and
 * writes the bytes.
 */
import { type Diagnostic, fileDiagnostic } from '../diagnostics.js';
import { loadSource } from '../load/index.js';
import type { UnDocument } from '../model.js';
import { type IndexFacts, indexFacts } from '../render/html/index-page.js';
import { RENDERERS } from '../render/index.js';
import { EngineMismatch, type Format } from '../render/types.js';
import { fontsOf, type Resources } from '../resources.js';
import { ResourceFailure } from '../style/load.js';
import { versionLanguage } from './versions.js';

/** A document to render. */
export interface RenderJob {
  /** Caller's id, echoed in the result. */
  readonly id: number;
  /** Document name (source base name), which the model and output files carry. */
  readonly name: string;
  /** Source path as the user gave it, for `file:line:col` in problems. */
  readonly file: string;
  /** The source, as read (bytes are decoded as strict UTF-8 by the loader). */
  readonly text: string | Uint8Array;
  readonly formats: readonly Format[];
  /** Names of the document's other language versions in the batch, which its HTML links. */
  readonly versions?: readonly string[];
  /**
   * Slow V8's optimiser in the process that renders it (src/build/tiering.ts): set for a worker
   * process when every core renders. Never for a worker thread, whose flags are its process's.
   */
  readonly slowOptimiser?: boolean;
}

/** One format's bytes. */
export interface RenderedOutput {
  readonly format: Format;
  readonly bytes: Uint8Array;
}

/** The outcome of a job: every requested format, or the problems. */
export type RenderResult =
  | {
      readonly id: number;
      readonly ok: true;
      readonly outputs: readonly RenderedOutput[];
      /** The loader's warnings (problems that did not stop the document). */
      readonly warnings: readonly Diagnostic[];
      /** What the index page lists of the document (kept in the manifest for later builds). */
      readonly index: IndexFacts;
      /**
       * How long the render took, in ms, by the clock of the thread that rendered it, from when
       * it began this document (not from when the document was queued): set by the backends.
       */
      readonly ms?: number;
    }
  | { readonly id: number; readonly ok: false; readonly problems: readonly Diagnostic[] };

/** `renderJob`, its result with the time it took (`ms`) by this thread's clock. */
export async function timedRenderJob(job: RenderJob, resources: Resources): Promise<RenderResult> {
  const t0 = performance.now();
  const result = await renderJob(job, resources);
  return result.ok ? { ...result, ms: performance.now() - t0 } : result;
}

/** Renders one job with already-loaded resources. Never throws: failures become problems. */
export async function renderJob(job: RenderJob, resources: Resources): Promise<RenderResult> {
  const fail = (problems: readonly Diagnostic[]): RenderResult => ({
    id: job.id,
    ok: false,
    problems,
  });
  let loaded: ReturnType<typeof loadSource>;
  try {
    loaded = loadSource(job.text, job.name, job.file, fontsOf(resources));
  } catch (e) {
    // The loader asks the layout's fonts what they print: a template or font at fault fails
    // the command once.
    if (e instanceof ResourceFailure) return fail([packageProblem(job.file, e)]);
    // The loader turns bad input into diagnostics; an exception is a bug, still this file's only.
    return fail([fileDiagnostic(job.file, 'render-failed', `loader: ${errorText(e)}`)]);
  }
  const model = loaded.model && withVersions(loaded.model, job.versions ?? []);
  if (!model) return fail(loaded.diagnostics.filter((d) => d.severity === 'error'));
  const outputs: RenderedOutput[] = [];
  try {
    // The layout's templates are read and checked here, before anything renders.
    const style = resources.styles[model.style];
    for (const format of job.formats) {
      const render = RENDERERS[format];
      try {
        outputs.push({ format, bytes: await render(model, style, resources) });
      } catch (e) {
        if (e instanceof EngineMismatch || e instanceof ResourceFailure) throw e;
        // A renderer bug is not the source's fault; it is still this document's failure only.
        return fail([fileDiagnostic(job.file, 'render-failed', `${format}: ${errorText(e)}`)]);
      }
    }
  } catch (e) {
    return fail([packageProblem(job.file, e)]);
  }
  const warnings = loaded.diagnostics.filter((d) => d.severity !== 'error');
  return { id: job.id, ok: true, outputs, warnings, index: indexFacts(model) };
}

/**
 * A problem of the package rather than the document (the PDF engine, a template, a font), which
 * fails every document alike: the backend turns it back into one error for the command.
 */
function packageProblem(file: string, e: unknown): Diagnostic {
  const message = errorText(e);
  if (e instanceof EngineMismatch) return fileDiagnostic(file, 'engine-mismatch', message);
  if (e instanceof ResourceFailure) {
    const code = e.kind === 'invalid' ? 'template-invalid' : 'resource-unreadable';
    return fileDiagnostic(file, code, message);
  }
  return fileDiagnostic(file, 'render-failed', `resources: ${message}`);
}

/** The model with its other language versions (each one's language from its name). */
export function withVersions(model: UnDocument, names: readonly string[]): UnDocument {
  if (names.length === 0) return model;
  const versions = names.map((name) => ({
    name,
    language: versionLanguage(name, model.originalLanguage),
  }));
  return { ...model, versions };
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
