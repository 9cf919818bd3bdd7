import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
// @ts-expect-error the build scripts are plain JavaScript, without declarations
import { barrelRewriter, packageExports } from '../build-barrels.js'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

type Exports = Map<string, Map<string, { file: string; name: string }>>

describe('the build imports from the declaring modules, not the package indexes (decision 055)', () => {
  it('finds, for every value of every package index, a module whose export is that very value', async () => {
    const all = packageExports(ROOT) as Exports
    expect(all.get('@cxr-audit/core')!.size).toBeGreaterThan(200)
    // the web app's package has no index; every other one is checked whole
    for (const [pkg, exported] of all) {
      const index = (await import(pkg)) as Record<string, unknown>
      const values = Object.keys(index).filter((k) => k !== 'default')
      // every value the index has is found, and found where it really is
      expect(
        values.filter((v) => !exported.has(v)),
        pkg,
      ).toEqual([])
      for (const [name, at] of exported) {
        const module = (await import(at.file)) as Record<string, unknown>
        expect(module[at.name], `${pkg} ${name} from ${at.file}`).toBe(index[name])
      }
    }
  }, 60_000)

  it('rewrites value imports, drops type-only ones, leaves unknown names to the index and keeps the line count', () => {
    const rewrite = barrelRewriter(ROOT) as (file: string, text: string) => string | undefined
    const file = `${ROOT}apps/cli/src/example.ts`
    const text = [
      'import {',
      '  CXR14_FINDINGS,',
      '  type Verdict,',
      '  notAnExport as other,',
      "} from '@cxr-audit/core'",
      "import { openStore } from '@cxr-audit/store'",
      "import type { Store } from '@cxr-audit/store'",
      'const x = 1',
    ].join('\n')
    const out = rewrite(file, text)!
    expect(out.split('\n')).toHaveLength(text.split('\n').length)
    const lines = out.split('\n')
    expect(lines[0]).toMatch(
      /^import \{ CXR14_FINDINGS \} from '\.\.\/\.\.\/\.\.\/packages\/core\/src\/[\w/-]+\.ts'; import \{ notAnExport as other \} from '@cxr-audit\/core';$/,
    )
    expect(lines[5]).toMatch(
      /^import \{ openStore \} from '\.\.\/\.\.\/\.\.\/packages\/store\/src\/[\w/-]+\.ts';$/,
    )
    expect(lines[6]).toBe("import type { Store } from '@cxr-audit/store'")
    expect(lines[7]).toBe('const x = 1')
    expect(rewrite(file, "import { a } from './local.ts'\n")).toBeUndefined()
  })
})
