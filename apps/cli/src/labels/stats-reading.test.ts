import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureReader, openStore, recordReadingEvents } from '@cxr-audit/store'
import { addVerdicts, insertAudit, makeModelFixture } from '@cxr-audit/store/testing'
import { DIALECTS, tempDatabase } from '../../../../test-support/temp-store.ts'
import { runCliAsync } from '../run-cli.ts'

const T0 = Date.parse('2026-01-05T09:00:00Z')
const at = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString()

describe.each(DIALECTS)('[W36] cxr-audit stats reading (%s)', (kind) => {
  let dir: string
  let db: string
  let auditId: number

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cxr-audit-reading-cli-'))
    db = await tempDatabase(kind, dir)
    const store = await openStore(db)
    const fx = await makeModelFixture(store)
    const mass = fx.finding['Mass']!
    // 36 films: two pages of 18
    auditId = await insertAudit(store.db, {
      datasetId: fx.datasetId,
      name: 'mass',
      seed: '1',
      plan: { findings: ['Mass'] },
      items: fx.image.slice(0, 36).map((imageId) => ({ imageId, findingId: mass, labelled: 1 })),
    })
    const ann = await ensureReader(store.db, 'ann', 'person')
    // page 1 finished at 60 s, page 2 at 60 + 18 x 4 = 132 s: 4 s per film, 900 films per hour
    await addVerdicts(
      store,
      fx.image.slice(0, 36).map((imageId, i) => ({
        clientEventId: `c${i}`,
        readerId: ann.id,
        auditId,
        imageId,
        findingId: mass,
        verdict: 'absent' as const,
        createdAt: at(i < 18 ? 60 : 132),
      })),
    )
    await recordReadingEvents(store, ann.id, [
      { kind: 'sheet', clientEventId: 'rs-1', auditId, findingId: mass, page: 0 },
      { kind: 'viewer', clientEventId: 'rv-1', auditId, imageId: fx.image[3]! },
      { kind: 'preset', clientEventId: 'rp-1', auditId, imageId: fx.image[3]!, preset: 'bone' },
    ])
    await store.close()
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it("[W36] --json prints the audit, the break and each reader's pace, viewer share and presets", async () => {
    const r = await runCliAsync([
      'stats',
      'reading',
      '--audit',
      String(auditId),
      '--db',
      db,
      '--json',
    ])
    expect(r.code, r.stderr).toBe(0)
    expect(r.json()).toMatchObject({
      auditId,
      audit: 'mass',
      breakSeconds: 300,
      readers: [
        {
          reader: 'ann',
          films: 36,
          pages: 2,
          timedPages: 1,
          medianSecondsPerFilm: 4,
          filmsPerHour: 900,
          recorded: true,
          viewerFilms: 1,
          viewerShare: 1 / 36,
          viewerOpens: 1,
          presets: { bone: 1 },
        },
      ],
    })
    const text = await runCliAsync(['stats', 'reading', '--audit', String(auditId), '--db', db])
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(/ann\s+36\s+1 of 2\s+4\.0\s+900\s+1 \(2\.8%\)\s+bone \(1\)/)
  })

  it('[W36] a bad or unknown audit id is bad input (exit 2)', async () => {
    const bad = await runCliAsync(['stats', 'reading', '--audit', 'x', '--db', db, '--json'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--audit x')
    const unknown = await runCliAsync(['stats', 'reading', '--audit', '999', '--db', db, '--json'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('no audit 999')
  })
})
