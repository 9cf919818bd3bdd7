// Loads a program compiled into apps/cli/dist (apps/cli/build.js), or its TypeScript source
// through tsx when there is no build or a source changed since it was built: a stale build never
// runs. CXR_AUDIT_FROM_SOURCE=1 forces the sources; CXR_AUDIT_DEBUG_START=1 says which ran.
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const DIST = new URL('../dist/', import.meta.url)

/**
 * Why dist/ is not up to date with its sources (a phrase), or null when it is. About 2 ms: one
 * stat per source file the build read (dist/build.json lists them, relative to the repository).
 */
export function staleness(dist = DIST, root = ROOT) {
  let record
  try {
    record = JSON.parse(readFileSync(new URL('build.json', dist), 'utf8'))
  } catch {
    return 'apps/cli/dist is not built'
  }
  for (const input of record.inputs) {
    const s = statSync(join(root, input), { throwIfNoEntry: false })
    if (s === undefined || s.mtimeMs > record.builtAt) return `${input} changed since the build`
  }
  return null
}

/** Imports entry `name` of dist/ (or `source`, a file URL, through tsx) and returns its exports. */
export async function loadEntry(name, source) {
  const forced = process.env.CXR_AUDIT_FROM_SOURCE === '1'
  const why = forced ? 'CXR_AUDIT_FROM_SOURCE=1' : staleness()
  const debug = process.env.CXR_AUDIT_DEBUG_START === '1'
  if (why === null) {
    if (debug) process.stderr.write(`cxr-audit: running compiled apps/cli/dist/${name}.js\n`)
    return import(new URL(`${name}.js`, DIST).href)
  }
  // a developer who edited a source is told once why the start is slower; pipes stay clean
  if (debug || (process.stderr.isTTY && !forced))
    process.stderr.write(
      `cxr-audit: running the TypeScript sources through tsx (${why}; npm run build:cli compiles them)\n`,
    )
  const { register } = await import('tsx/esm/api')
  register()
  return import(source.href)
}
