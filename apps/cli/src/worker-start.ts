import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'

// Set by apps/cli/build.js in the compiled CLI (esbuild `define`); absent when the sources run.
declare const CXR_AUDIT_COMPILED: boolean | undefined

/**
 * Starts a worker thread: the compiled entry `dist/<entry>.js` beside the compiled CLI, or the
 * TypeScript source through tsx (the sources, tests): a small bootstrap registers tsx in the
 * worker first, since Node 20 gives workers no loader from the main thread's `--import`.
 * `source` is the entry's source file, as a URL.
 */
export function startWorker(entry: string, source: URL, workerData: unknown): Worker {
  if (typeof CXR_AUDIT_COMPILED !== 'undefined' && CXR_AUDIT_COMPILED) {
    // import.meta.url is this source's URL in the bundle too (apps/cli/build.js)
    return new Worker(new URL(`../dist/${entry}.js`, import.meta.url), { workerData })
  }
  // tsx's ESM entry (import.meta.resolve is missing under some test runners)
  const tsx =
    import.meta.resolve?.('tsx/esm/api') ??
    pathToFileURL(
      createRequire(import.meta.url)
        .resolve('tsx/esm/api')
        .replace(/\.cjs$/, '.mjs'),
    ).href
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(source.href)}) })`
  return new Worker(boot, { eval: true, workerData })
}
