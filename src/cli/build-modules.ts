/**
 * What only `build`, `check` and `watch` use, loaded on their first call: `validate` and `schema`
 * never evaluate the build machinery, the resources or the index page (which brings the HTML
 * renderer's libraries). Modules of src/cli/ import these values only through here.
 */
export async function buildModules() {
  const [backend, check, hash, manifest, pool, progress, run, watch, indexPage, resources] =
    await Promise.all([
      import('../build/backend.js'),
      import('../build/check.js'),
      import('../build/hash.js'),
      import('../build/manifest.js'),
      import('../build/pool.js'),
      import('../build/progress.js'),
      import('../build/run.js'),
      import('../build/watch.js'),
      import('../render/html/index-page.js'),
      import('../resources.js'),
    ]);
  return {
    ...backend,
    ...check,
    ...hash,
    ...manifest,
    ...pool,
    ...progress,
    ...run,
    ...watch,
    ...indexPage,
    ...resources,
  };
}
