/**
 * ICU's objects (Intl.Segmenter, Intl.Collator, …) made on first use and forgotten before a
 * start-up snapshot is written: V8 cannot serialize them, and `node --build-snapshot` aborts when
 * the heap still holds one (src/snapshot.ts forgets them all first). Modules never make one at
 * load and never keep one but through `lazyIntl`; `toLocale*` (which V8 backs with formatters it
 * caches where no code can forget them) is not used at all (test/intl.test.ts checks both).
 */

/** How to forget each object made so far. */
const forgetters: (() => void)[] = [];

/** A getter of the object `make` makes, made at the first call and again after `forgetIntl`. */
export function lazyIntl<T extends object>(make: () => T): () => T {
  let made: T | undefined;
  forgetters.push(() => {
    made = undefined;
  });
  return () => {
    made ??= make();
    return made;
  };
}

/** Forgets every ICU object made through `lazyIntl` (before a start-up snapshot is written). */
export function forgetIntl(): void {
  for (const forget of forgetters) forget();
}
