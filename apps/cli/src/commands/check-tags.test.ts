import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DatasetCheckReport } from '@cxr-audit/core'
import { importCxr14 } from '@cxr-audit/ingest'
import { ensureReader, findDataset, listFindings, openStore } from '@cxr-audit/store'
import { addTags, addVerdicts, imageRow, insertAudit } from '@cxr-audit/store/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sharedData } from '../../../../test-support/shared-data.ts'
import { DIALECTS, tempDatabase } from '../../../../test-support/temp-store.ts'
import { runCli } from '../run-cli.ts'

const METADATA = sharedData('cxr14/Data_Entry_2017_v2020.csv.gz')
const TRAIN = sharedData('cxr14/splits/train_val_list.txt')
const TEST = sharedData('cxr14/splits/test_list.txt')

const names = (file: string, n: number): string[] =>
  readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter((x) => x !== '')
    .sort()
    .slice(0, n)

/** Austin's SMD of two proportions, written out here (not the core function under test). */
const smd = (a: number, b: number): number => (a - b) / Math.sqrt((a * (1 - a) + b * (1 - b)) / 2)

describe.each(DIALECTS)(
  'check: reader tags by split (real CXR14 and NIH split lists, %s)',
  (kind) => {
    let dir: string
    let db: string
    const train = names(TRAIN, 150)
    const test = names(TEST, 100)

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'cxr-check-tags-'))
      db = await tempDatabase(kind, dir, 'check.sqlite')
      const store = await openStore(db)
      try {
        await importCxr14(store, { metadata: METADATA, trainList: TRAIN, testList: TEST })
        const dataset = await findDataset(store.db)
        const finding = (await listFindings(store.db, dataset.id)).find(
          (f) => f.name === 'Pneumothorax',
        )!
        const ids = new Map<string, number>()
        for (const n of [...train, ...test]) ids.set(n, (await imageRow(store.db, n)).id)
        const auditId = await insertAudit(store.db, {
          datasetId: dataset.id,
          name: 'reviewed in both splits',
          seed: '1',
          plan: {},
          items: [...ids.values()].map((imageId) => ({
            imageId,
            findingId: finding.id,
            labelled: 0,
          })),
        })
        const reader = await ensureReader(store.db, 'ann', 'person')
        const at = '2026-01-01T00:00:00.000Z'
        const event = (name: string, k: string) => ({
          clientEventId: `${name}:${k}`,
          readerId: reader.id,
          auditId,
          imageId: ids.get(name)!,
          createdAt: at,
        })
        // every film is judged except the last test film, reviewed by its tag alone
        await addVerdicts(
          store,
          [...train, ...test.slice(0, -1)].map((n) => ({
            ...event(n, 'v'),
            findingId: finding.id,
            verdict: 'absent' as const,
          })),
        )
        const tags = [
          ...train
            .filter((_, i) => i % 5 === 0)
            .map((n) => ({ ...event(n, 'd'), tag: 'chest drain', on: true })),
          ...test
            .filter((_, i) => i % 2 === 0)
            .map((n) => ({ ...event(n, 'd'), tag: 'chest drain', on: true })),
          { ...event(test[1]!, 'r'), tag: 'Rotated', on: true },
          { ...event(test[99]!, 'r'), tag: 'rotated', on: true },
          // a tag set and taken back: the film is reviewed, without the tag
          { ...event(train[1]!, 'r1'), tag: 'rotated', on: true },
          { ...event(train[1]!, 'r2'), tag: 'rotated', on: false },
        ]
        await addTags(store, tags)
      } finally {
        await store.close()
      }
    }, 300_000)
    afterAll(() => rmSync(dir, { recursive: true, force: true }))

    it('[K7] check compares each reader tag between train and test among reviewed films, with the SMD of two proportions', () => {
      const r = runCli(['check', '--db', db, '--json'])
      expect(r.stderr).toBe('')
      expect(r.code).toBe(0)
      const t = (r.json() as DatasetCheckReport).tagsBySplit
      expect(t.splits).toEqual(['train', 'test'])
      expect(t.compared).toEqual(['train', 'test'])
      expect(t.reviewed).toEqual({ train: 150, test: 100 })
      expect(t.rows.map((x) => x.level)).toEqual(['chest drain', 'Rotated'])
      const [drain, rotated] = t.rows
      expect(drain!.values).toEqual({
        train: { value: 30 / 150, n: 30 },
        test: { value: 50 / 100, n: 50 },
      })
      expect(drain!.smd).toBeCloseTo(smd(0.2, 0.5), 14)
      expect(drain!.flag).toBe(true)
      expect(rotated!.values).toEqual({ train: { value: 0, n: 0 }, test: { value: 0.02, n: 2 } })
      expect(rotated!.smd).toBeCloseTo(smd(0, 0.02), 14)
      const human = runCli(['check', '--db', db])
      expect(human.code).toBe(0)
      expect(human.stdout).toContain(
        'Reader tags by split, among reviewed films (150 train, 100 test); SMD between train and test',
      )
      expect(human.stdout).toMatch(/chest drain\s+30 \(20\.0%\)\s+50 \(50\.0%\)\s+-0\.663\s+\*/)
    })
  },
)
