import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ModelEvalReport } from '@cxr-audit/core'
import { prepareDemo } from '@cxr-audit/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS, tempDatabase } from '../../../../test-support/temp-store.ts'
import { runCli } from '../run-cli.ts'

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url))
const DEMO_DB = '.cxr-audit/demo.sqlite'

/** The `cxr-audit` lines of the sh block under "The chest-drain question" in docs/models.md. */
function documentedCommands(): string[][] {
  const text = readFileSync(join(ROOT, 'docs', 'models.md'), 'utf8')
  const section = text.slice(text.indexOf('### The chest-drain question'))
  const block = /```sh\n([\s\S]*?)```/.exec(section)
  if (block === null) throw new Error('docs/models.md: no sh block under the chest-drain question')
  return block[1]!
    .split('\n')
    .filter((l) => l.startsWith('cxr-audit '))
    .map((l) => words(l).slice(1))
}

/** Shell words of a line: spaces separate, double quotes group (all the guide uses). */
function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!)
}

describe.each(DIALECTS)('the guide runs as written on the demo (%s)', (kind) => {
  let dir: string
  let db: string
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cxr-docs-drain-'))
    db = await tempDatabase(kind, dir, 'demo.sqlite')
    const demo = await prepareDemo({
      examples: join(ROOT, 'examples', 'cxr14'),
      db,
      predictions: join(ROOT, 'examples', 'predictions', 'densenet121-jrzech-test-preds.csv.gz'),
    })
    await demo.store.close()
  }, 300_000)
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('[M49] the chest-drain example of docs/models.md: every command exits 0 on the npm start demo and answers the question', () => {
    const commands = documentedCommands()
    expect(commands.length).toBeGreaterThanOrEqual(2)
    let last: ReturnType<typeof runCli> | null = null
    for (const args of commands) {
      expect(args).toContain(DEMO_DB)
      last = runCli(
        args.map((a) => (a === DEMO_DB ? db : a)),
        { cwd: ROOT },
      )
      expect(last.stderr).toBe('')
      expect(last.code).toBe(0)
      if (args.includes('eval') && !args.includes('--json')) {
        expect(last.stdout).toContain('Pneumothorax: sensitivity by tag "chest drain"')
        expect(last.stdout).toContain("Fisher's exact test (two-sided)")
        expect(last.stdout).toContain('AUC chest drain: no negatives in this group')
      }
    }
    // the last documented command prints the JSON: both groups, Fisher's p, the AUC note
    const out = last!.json() as ModelEvalReport
    const t = out.findings[0]!.byTag![0]!
    expect(t.thresholdFrom).toBe('original labels')
    expect(t.groups.map((g) => [g.group, g.positives, g.negatives])).toEqual([
      ['chest drain', 2, 0],
      ['no chest drain', 3, 0],
    ])
    expect(t.groups.every((g) => g.auc === null && /no negatives/.test(g.aucNote ?? ''))).toBe(true)
    expect(t.fisher?.p).toBeGreaterThan(0)
    expect(t.fisher?.p).toBeLessThanOrEqual(1)
  })
})
