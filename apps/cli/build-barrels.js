// Rewrites `import { a, b } from '@cxr-audit/core'` into imports of the modules that declare `a`
// and `b`, for the CLI's split build (docs/decisions/055). esbuild gives a chunk to each set of
// commands that reach a module, following every import of a module in use; through a package's
// index every command reached every module of it, so `@cxr-audit/core` was one 0.7 MB chunk that
// every command loaded (50 ms), the statistics of `eval` in `thumbnails` too.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'

const IDENT = /^[A-Za-z_$][\w$]*$/

/** `a`, `a as b`, `type A`: the value specifiers of an import or export list. */
function specifiers(list) {
  const out = []
  for (const raw of list.split(',')) {
    const spec = raw.trim()
    if (spec === '' || spec.startsWith('type ')) continue
    const m = /^([\w$]+)(?:\s+as\s+([\w$]+))?$/.exec(spec)
    if (m === null) return undefined
    out.push({ name: m[1], local: m[2] ?? m[1] })
  }
  return out
}

/** Where each package's index is: `@cxr-audit/core` -> /.../packages/core/src/index.ts. */
function packageIndexes(root) {
  const indexes = new Map()
  for (const group of ['packages', 'apps']) {
    for (const dir of readdirSync(join(root, group))) {
      const file = join(root, group, dir, 'package.json')
      if (!existsSync(file)) continue
      const pkg = JSON.parse(readFileSync(file, 'utf8'))
      const main = pkg.exports?.['.']
      const index = typeof main === 'string' ? resolve(join(root, group, dir), main) : undefined
      if (index !== undefined && pkg.name?.startsWith('@cxr-audit/') && existsSync(index))
        indexes.set(pkg.name, index)
    }
  }
  return indexes
}

/** The file an export's `from` names: relative, or one of our package indexes; else null. */
function locate(file, from, indexes) {
  if (from.startsWith('.')) return resolve(dirname(file), from)
  return indexes.get(from) ?? null
}

/**
 * The value exports of a module, each with the module that declares it and its name there.
 * Types are left out (erased anyway); a form not recognised leaves that name to the index.
 */
function exportsOf(file, cache, indexes) {
  let map = cache.get(file)
  if (map !== undefined) return map
  map = new Map()
  cache.set(file, map)
  const text = readFileSync(file, 'utf8')
  const declared = [
    /^export\s+(?:declare\s+)?(?:async\s+)?function\s*\*?\s*([\w$]+)/gm,
    /^export\s+(?:abstract\s+)?class\s+([\w$]+)/gm,
    /^export\s+(?:const\s+)?enum\s+([\w$]+)/gm,
    /^export\s+(?:const|let|var)\s+([\w$]+)/gm,
  ]
  for (const re of declared) for (const m of text.matchAll(re)) map.set(m[1], { file, name: m[1] })
  const stars = []
  for (const m of text.matchAll(/^export\s*(type\s*)?\{([^}]*)\}\s*(?:from\s*'([^']+)')?/gm)) {
    if (m[1] !== undefined) continue
    const specs = specifiers(m[2]) ?? []
    const target = m[3] === undefined ? undefined : locate(file, m[3], indexes)
    if (target === null) continue
    for (const { name, local } of specs) {
      if (target === undefined) {
        // `export { a as b }` of this module's own binding: imported from here, as `b`
        map.set(local, { file, name: local })
        continue
      }
      const from = existsSync(target) ? exportsOf(target, cache, indexes) : undefined
      map.set(local, from?.get(name) ?? { file: target, name })
    }
  }
  for (const m of text.matchAll(/^export\s*\*\s*from\s*'([^']+)'/gm)) {
    const target = locate(file, m[1], indexes)
    if (target !== null && existsSync(target)) stars.push(exportsOf(target, cache, indexes))
  }
  // a name exported by more than one `export *` is ambiguous in JavaScript: not exported at all
  const seen = new Map()
  for (const star of stars)
    for (const [name, at] of star) seen.set(name, seen.has(name) ? null : at)
  for (const [name, at] of seen) if (at !== null && !map.has(name)) map.set(name, at)
  return map
}

/** For each of our packages, the module declaring each value its index exports (for tests). */
export function packageExports(root) {
  const indexes = packageIndexes(root)
  const cache = new Map()
  return new Map([...indexes].map(([pkg, index]) => [pkg, exportsOf(index, cache, indexes)]))
}

/**
 * The rewrite of one source's imports from our package indexes, or undefined when there is
 * nothing to rewrite. Line numbers are kept (the source map stays right).
 */
export function barrelRewriter(root) {
  const indexes = packageIndexes(root)
  const cache = new Map()
  return (file, text) => {
    if (!text.includes("from '@cxr-audit/")) return undefined
    let changed = false
    const out = text.replace(
      /^import\s*\{([^}]*)\}\s*from\s*'(@cxr-audit\/[\w-]+)'/gm,
      (whole, list, pkg) => {
        const index = indexes.get(pkg)
        const specs = specifiers(list)
        if (index === undefined || specs === undefined) return whole
        const exported = exportsOf(index, cache, indexes)
        const byFile = new Map()
        const left = []
        for (const spec of specs) {
          const at = exported.get(spec.name)
          if (at === undefined || !IDENT.test(at.name)) {
            left.push(spec)
            continue
          }
          const list = byFile.get(at.file) ?? []
          list.push(at.name === spec.local ? at.name : `${at.name} as ${spec.local}`)
          byFile.set(at.file, list)
        }
        const statements = [...byFile].map(([target, names]) => {
          let path = relative(dirname(file), target).split(sep).join('/')
          if (!path.startsWith('.')) path = `./${path}`
          return `import { ${names.join(', ')} } from '${path}';`
        })
        if (left.length > 0)
          statements.push(
            `import { ${left.map((s) => (s.name === s.local ? s.name : `${s.name} as ${s.local}`)).join(', ')} } from '${pkg}';`,
          )
        changed = true
        const lines = whole.split('\n').length - 1
        return `${statements.join(' ')}${'\n'.repeat(lines)}`
      },
    )
    return changed ? out : undefined
  }
}
