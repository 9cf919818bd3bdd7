#!/usr/bin/env node
// Compiles the CLI (and the `npm start` demo) into apps/cli/dist: ESM, one chunk per command,
// the @cxr-audit/* sources and a few pure-JS packages bundled, the rest external. Run by the root
// `prepare` script (so `npm ci` builds it) and before the tests; docs/decisions/007.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, sep } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { barrelRewriter } from './build-barrels.js'

const CLI = fileURLToPath(new URL('.', import.meta.url))
const ROOT = join(CLI, '../..')
const DIST = join(CLI, 'dist')

/** The programs in dist/: the `cxr-audit` command and the demo `npm start` serves. */
const ENTRIES = {
  main: join(CLI, 'src/main.ts'),
  'start-demo': join(ROOT, 'apps/server/src/start-demo.ts'),
  // the worker threads of `probe` (apps/cli/src/learn/probe-pool.ts starts them from here)
  'probe-worker': join(CLI, 'src/learn/probe-worker.ts'),
}

/**
 * Worker threads whose start-up is on a command's critical path, each bundled whole into one
 * file: as part of the split build they load the chunks they share with the commands (the core
 * chunk alone is 0.7 MB), about 40 ms against 10 for a file of only their own code.
 */
const THREAD_ENTRIES = {
  // the reading thread of `import cxr14` (apps/cli/src/datasets/cxr14-worker-reader.ts)
  'cxr14-read-worker': join(CLI, 'src/datasets/cxr14-read-worker.ts'),
  // the reading thread of `import chexpert` (apps/cli/src/datasets/chexpert-worker-reader.ts)
  'chexpert-read-worker': join(CLI, 'src/datasets/chexpert-read-worker.ts'),
}

/**
 * Pure-JavaScript packages that Node would load as hundreds of small files: bundled, which cuts
 * their load time by three to four (kysely ~210 -> ~55 ms, the @stdlib quantiles ~270 -> ~55 ms).
 */
const BUNDLED = [/^@cxr-audit\//, /^kysely(\/|$)/, /^@stdlib\//, /^commander(\/|$)/]

/**
 * Every other npm package stays external: node_modules is there at run time, native modules
 * (better-sqlite3, sharp) and packages that find files beside themselves (playwright-core,
 * the WebAssembly codecs) cannot be bundled, and big ones load only with the command needing them.
 */
const externalPackages = {
  name: 'external-packages',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) =>
      BUNDLED.some((re) => re.test(args.path)) ? undefined : { path: args.path, external: true },
    )
  },
}

/**
 * The bundled @stdlib quantile solvers require `debug` at load for warnings printed only when
 * DEBUG names them: a no-op stands in (apps/cli/shims/debug-off.cjs), so that no command pays
 * for loading the real package as it starts.
 */
const stdlibDebugOff = {
  name: 'stdlib-debug-off',
  setup(build) {
    build.onResolve({ filter: /^debug$/ }, (args) =>
      args.importer.includes(`${sep}@stdlib${sep}`)
        ? { path: join(CLI, 'shims', 'debug-off.cjs') }
        : undefined,
    )
  },
}

/**
 * Our sources do nothing when imported but define things, so a module none of whose exports a
 * command uses is left out of its chunk, with the packages it imports: `import cxr14` takes
 * @cxr-audit/ingest without the thumbnail code beside it, and so without sharp.
 */
const sideEffectFree = {
  name: 'side-effect-free-sources',
  setup(build) {
    build.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData === sideEffectFree || args.kind === 'entry-point') return undefined
      const fromOurs = !args.importer.includes(`${sep}node_modules${sep}`)
      const ours = args.path.startsWith('@cxr-audit/') || (args.path.startsWith('.') && fromOurs)
      if (!ours) return undefined
      const result = await build.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        with: args.with,
        pluginData: sideEffectFree,
      })
      if (result.errors.length > 0) return { errors: result.errors }
      return { ...result, pluginData: undefined, sideEffects: false }
    })
  },
}

/**
 * Two rewrites of our sources as they are bundled:
 * - `import.meta.url` in a bundled source means that source file's URL (the web app's build and
 *   the WebAssembly codecs are found relative to it). Every chunk sits directly in dist/, so the
 *   source is at a fixed relative path from any chunk: rewritten to that, which survives moving
 *   the checkout.
 * - imports from a package's index go to the modules that declare the names (build-barrels.js),
 *   so that a command's chunks hold only the modules it uses.
 */
const sourceRewrites = {
  name: 'source-rewrites',
  setup(build) {
    const barrels = barrelRewriter(ROOT)
    build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, (args) => {
      if (args.path.includes(`${sep}node_modules${sep}`)) return undefined
      const text = readFileSync(args.path, 'utf8')
      let contents = barrels(args.path, text) ?? text
      if (contents.includes('import.meta.url')) {
        const rel = relative(DIST, args.path).split(sep).join('/')
        contents = contents.replaceAll(
          'import.meta.url',
          `new URL(${JSON.stringify(rel)}, import.meta.url).href`,
        )
      }
      if (contents === text) return undefined
      return {
        contents,
        loader: args.path.endsWith('x') ? 'tsx' : args.path.endsWith('.js') ? 'js' : 'ts',
      }
    })
  },
}

/**
 * Builds into a fresh folder and swaps it in, so a process starting meanwhile sees the old build,
 * no build (and runs the sources), or the new one: never half of one. Returns the build record.
 */
export async function buildCli({ quiet = false } = {}) {
  const { build } = await import('esbuild')
  const started = Date.now()
  sweepLeftovers()
  // staged under a folder of our own; every path ends in /dist/, which git, ESLint and Prettier skip
  const stage = join(CLI, `.build-${process.pid}`)
  const tmp = join(stage, 'new', 'dist')
  try {
    const options = {
      // laid out for dist/ (source maps, chunk names), written to the stage below, then swapped in
      outdir: DIST,
      write: false,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      sourcemap: 'linked',
      chunkNames: '[name]-[hash]',
      metafile: true,
      // tells code that must find a file of dist/ (a worker's entry) that it runs compiled
      define: { CXR_AUDIT_COMPILED: 'true' },
      // bundled CommonJS (commander, @stdlib) calls require() for Node's built-ins
      banner: {
        js: "import { createRequire as __cxrRequire } from 'node:module'; const require = __cxrRequire(import.meta.url);",
      },
      logLevel: 'warning',
      absWorkingDir: ROOT,
      plugins: [stdlibDebugOff, sideEffectFree, externalPackages, sourceRewrites],
    }
    const result = await build({ ...options, entryPoints: ENTRIES })
    const threads = await build({ ...options, entryPoints: THREAD_ENTRIES, splitting: false })
    for (const file of [...result.outputFiles, ...threads.outputFiles]) {
      const target = join(tmp, relative(DIST, file.path))
      mkdirSync(dirname(target), { recursive: true })
      writeFileSync(target, file.contents)
    }
    // what the bin checks before running dist/: the sources and when they were read
    const inputs = [
      ...new Set([...Object.keys(result.metafile.inputs), ...Object.keys(threads.metafile.inputs)]),
    ]
      .filter((p) => !p.includes('node_modules/') && !p.startsWith('<'))
      .sort()
    const record = { builtAt: started, inputs }
    writeFileSync(join(tmp, 'build.json'), `${JSON.stringify(record)}\n`)
    writeFileSync(join(tmp, 'meta.json'), JSON.stringify(result.metafile))
    swapIn(tmp, join(stage, 'old', 'dist'))
    if (!quiet)
      process.stderr.write(
        `cxr-audit: built apps/cli/dist from ${inputs.length} sources in ${Date.now() - started} ms\n`,
      )
    return record
  } finally {
    rmSync(stage, { recursive: true, force: true })
  }
}

/** Replaces dist/ by the new build; if another build swapped its own in meanwhile, keeps that. */
function swapIn(tmp, old) {
  mkdirSync(dirname(old), { recursive: true })
  try {
    renameSync(DIST, old)
  } catch (e) {
    if (e.code !== 'ENOENT') throw e
  }
  try {
    renameSync(tmp, DIST)
  } catch (e) {
    // a concurrent build of the same sources got there first (the tests start several at once)
    if (e.code !== 'ENOTEMPTY' && e.code !== 'EEXIST') throw e
  }
}

/** Removes the folders of builds that died half-way (their process is gone). */
function sweepLeftovers() {
  for (const name of readdirSync(CLI)) {
    const pid = /^\.build-(\d+)$/.exec(name)?.[1]
    if (pid === undefined || alive(Number(pid))) continue
    rmSync(join(CLI, name), { recursive: true, force: true })
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return e.code === 'EPERM'
  }
}

// `node apps/cli/build.js [--if-stale]`: --if-stale builds only when the bin would not use dist/
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const { staleness } = await import('./bin/load-entry.js')
    if (!process.argv.includes('--if-stale') || staleness() !== null) await buildCli()
  } catch (e) {
    process.stderr.write(`cxr-audit: could not build apps/cli/dist: ${e.message}\n`)
    process.exitCode = 1
  }
}
