import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { buildFixture } from '../../../server/src/testing/fixture.ts'
import { DIALECTS } from '../../../../test-support/temp-store.ts'
import { main } from '../main.ts'

let dir: string
let db: string

/** Runs the CLI in this process; returns the exit code and the one JSON document printed. */
async function run(...args: string[]): Promise<{ code: number; json: Record<string, unknown> }> {
  let out = ''
  const write = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true))
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
  try {
    const code = await main([...args, '--db', db, '--json'])
    return { code, json: JSON.parse(out) as Record<string, unknown> }
  } finally {
    write.mockRestore()
    err.mockRestore()
  }
}

describe.each(DIALECTS)('%s', (kind) => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cxr-audit-cli-'))
    db = (await buildFixture({ dir, images: 50, kind })).db
  })
  afterAll(async () => rm(dir, { recursive: true, force: true }))

  describe('cxr-audit audit', () => {
    it('[W3] audit create draws reproducibly: the same seed gives the same findings and counts', async () => {
      const a = await run(
        'audit',
        'create',
        '--name',
        'one',
        '--finding',
        'Effusion',
        'Mass',
        '--positives',
        '4',
        '--negatives',
        '2',
        '--seed',
        '42',
      )
      expect(a.code).toBe(0)
      const audit = a.json['audit'] as {
        seed: number
        findings: { name: string; positives: number }[]
      }
      expect(audit.seed).toBe(42)
      expect(audit.findings.map((f) => f.name)).toEqual(['Effusion', 'Mass'])
      const list = await run('audit', 'list')
      expect((list.json['audits'] as unknown[]).length).toBe(1)
    })

    it('[W2] a seed that is not a whole number exits 2', async () => {
      const r = await run(
        'audit',
        'create',
        '--name',
        'two',
        '--finding',
        'Effusion',
        '--seed',
        'abc',
      )
      expect(r.code).toBe(2)
      expect((r.json['error'] as { message: string }).message).toMatch(
        /seed must be a whole number/,
      )
    })

    it('[W8] a finding with no image on disk, an unknown finding or filter exits 2', async () => {
      const none = await run(
        'audit',
        'create',
        '--name',
        'three',
        '--finding',
        'Effusion',
        '--filter',
        'view=LL',
      )
      expect(none.code).toBe(2)
      expect((none.json['error'] as { message: string }).message).toMatch(
        /nothing to review for Effusion/,
      )
      expect((await run('audit', 'create', '--name', 'four', '--finding', 'Lupus')).code).toBe(2)
      expect(
        (
          await run(
            'audit',
            'create',
            '--name',
            'five',
            '--finding',
            'Mass',
            '--filter',
            'colour=red',
          )
        ).code,
      ).toBe(2)
    })

    it('[W6] a sample larger than the population takes all and says so', async () => {
      const r = await run(
        'audit',
        'create',
        '--name',
        'six',
        '--finding',
        'Mass',
        '--positives',
        '500',
        '--all-per-patient',
      )
      expect(r.code).toBe(0)
      expect((r.json['notes'] as string[])[0]).toMatch(
        /^Mass: asked for 500 labelled positives, only \d+ images on disk match: took all/,
      )
    })

    it('[W1] audit plan gives n for a half-width and the half-width for n', async () => {
      expect(
        (await run('audit', 'plan', '--expected', '0.8', '--half-width', '0.05')).json,
      ).toMatchObject({ n: 245, method: 'wilson' })
      const reverse = await run('audit', 'plan', '--expected', '80%', '--n', '100')
      expect(reverse.json['halfWidth']).toBeCloseTo(0.0777, 3)
      expect((await run('audit', 'plan', '--expected', 'high', '--n', '100')).code).toBe(2)
    })
  })
})
