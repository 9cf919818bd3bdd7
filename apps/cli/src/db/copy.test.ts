import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openStore } from '@cxr-audit/store'
import { snapshot } from '@cxr-audit/store/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDatabase } from '../../../../test-support/temp-store.ts'
import { runCli } from '../run-cli.ts'

const HEADER =
  'Image Index,Finding Labels,Follow-up #,Patient ID,Patient Age,Patient Gender,View Position,OriginalImage[Width,Height],OriginalImagePixelSpacing[x,y]'

async function stateOf(url: string): Promise<Record<string, string[]>> {
  const store = await openStore(url)
  try {
    return await snapshot(store)
  } finally {
    await store.close()
  }
}

describe('[T1] cxr-audit db copy', () => {
  let dir: string
  let sqlite: string
  let postgres: string
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cxr-dbcopy-'))
    sqlite = join(dir, 'project.sqlite')
    postgres = await tempDatabase('postgres', dir)
    const rows = ['Mass|Nodule', 'No Finding', 'Effusion', 'Mass'].map(
      (f, i) => `0000000${i}_000.png,${f},0,${i + 1},${40 + i},F,PA,1024,1024,0.14,0.14`,
    )
    writeFileSync(join(dir, 'meta.csv'), [HEADER, ...rows].join('\n') + '\n')
    const r = runCli(['import', 'cxr14', '--metadata', join(dir, 'meta.csv'), '--db', sqlite])
    expect(r.code, r.stderr).toBe(0)
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('moves a project from SQLite to PostgreSQL and back, every row and count the same', async () => {
    const there = runCli(['db', 'copy', '--from', sqlite, '--to', postgres, '--json'])
    expect(there.code, there.stderr).toBe(0)
    const report = there.json() as {
      fromKind: string
      toKind: string
      rows: number
      tables: { table: string; rows: number }[]
    }
    expect(report).toMatchObject({ fromKind: 'sqlite', toKind: 'postgres' })
    const counts = Object.fromEntries(report.tables.map((t) => [t.table, t.rows]))
    // five labels: Mass, Nodule, No Finding (a finding since migration 011), Effusion, Mass
    expect(counts).toMatchObject({ dataset: 1, image: 4, label: 5 })
    expect(report.rows).toBe(report.tables.reduce((a, t) => a + t.rows, 0))
    expect(await stateOf(postgres)).toEqual(await stateOf(sqlite))

    const back = join(dir, 'back.sqlite')
    const again = runCli(['db', 'copy', '--db', postgres, '--to', back, '--json'])
    expect(again.code, again.stderr).toBe(0)
    expect((again.json() as { rows: number }).rows).toBe(report.rows)
    expect(await stateOf(back)).toEqual(await stateOf(sqlite))
  })

  it('refuses a target that holds a project (exit 2) unless --replace, and changes nothing', async () => {
    const before = await stateOf(postgres)
    const r = runCli(['db', 'copy', '--from', sqlite, '--to', postgres])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/is not empty .*--replace/)
    expect(await stateOf(postgres)).toEqual(before)
    const replaced = runCli([
      'db',
      'copy',
      '--from',
      sqlite,
      '--to',
      postgres,
      '--replace',
      '--json',
    ])
    expect(replaced.code, replaced.stderr).toBe(0)
    expect(replaced.json()).toMatchObject({ replaced: true })
    expect(await stateOf(postgres)).toEqual(before)
  })

  it('refuses a missing source and a copy onto itself (exit 2)', () => {
    const missing = runCli([
      'db',
      'copy',
      '--from',
      join(dir, 'nope.sqlite'),
      '--to',
      join(dir, 'x.sqlite'),
    ])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('no such database file')
    const self = runCli(['db', 'copy', '--from', sqlite, '--to', sqlite])
    expect(self.code).toBe(2)
    expect(self.stderr).toContain('the same database')
  })
})
