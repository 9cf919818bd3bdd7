import { describe, expect, it } from 'vitest'
import { createRng, type ImageRecord } from '@cxr-audit/core'
import { packImageBatch } from './image-batch.ts'
import { ImageBatchBuilder } from './image-batch-builder.ts'

const FINDINGS = ['Effusion', 'Mass', 'No Finding', 'Edema']
const INDEX = new Map(FINDINGS.map((f, i) => [f, i]))

/**
 * Rows of every awkward kind a batch column meets: numbers with and without blanks (a column
 * all blank, blank first, blank later), more than 256 distinct label lists, a split or file
 * missing, studies, label maps shared between rows as parsers share them.
 */
function awkwardRecords(
  count: number,
): { record: ImageRecord; split: string | null; path: string | null }[] {
  const rng = createRng(52)
  const lists = Array.from({ length: 300 }, (_, k) => {
    const raw = [`L${k}`, ...FINDINGS.filter((_, f) => (k >> f) & 1)]
    const labels = new Map(raw.filter((r) => INDEX.has(r)).map((r, j) => [r, j % 3 === 2 ? -1 : 1]))
    return { raw, labels }
  })
  const sometimes = (p: number, v: number): number | null => (rng.next() < p ? null : v)
  return Array.from({ length: count }, (_, i) => {
    // the first 1,500 rows draw from few label lists, the rest from all
    const list = lists[rng.int(i < 1500 ? 5 : lists.length)]!
    return {
      record: {
        name: `n${i}.png`,
        patient: String(rng.int(50)),
        age: i < 2000 ? rng.int(90) : sometimes(0.1, rng.int(90)),
        sex: ['M', 'F', '', 'O'][rng.int(4)]!,
        view: ['PA', 'AP'][rng.int(2)]!,
        followUp: i % 3000 < 700 ? null : rng.int(10),
        width: null,
        height: i < 100 ? 2048 : sometimes(0.01, 2048),
        spacingX: rng.next(),
        spacingY: 0.14300000000000002,
        labels: list.labels,
        rawLabels: list.raw,
        line: i + 2,
        ...(i % 2 === 0 ? { study: `s${i >> 3}` } : {}),
      },
      split: rng.next() < 0.05 ? null : ['train', 'test'][rng.int(2)]!,
      path: rng.next() < 0.3 ? null : `/images/n${i}.png`,
    }
  })
}

describe('image batches packed as rows are read', () => {
  it('are the batches packImageBatch makes of the same rows', () => {
    const rows = awkwardRecords(7000)
    for (const withSources of [true, false])
      for (const sizes of [[1024, 4096], [7000], [1, 2999, 5000], [6999, 1]]) {
        const builder = new ImageBatchBuilder(sizes[0]!, {
          split: withSources,
          path: withSources,
          findingIndex: INDEX,
        })
        let from = 0
        let k = 0
        const check = (): void => {
          const to = from + builder.length
          const batch = builder.take(sizes[Math.min(++k, sizes.length - 1)]!)
          const expected = packImageBatch(
            rows.slice(from, to).map((r) => r.record),
            withSources ? (r) => rows[r.line - 2]!.split : null,
            withSources ? (r) => rows[r.line - 2]!.path : null,
            INDEX,
          )
          expect(batch, `rows ${from} to ${to}`).toEqual(expected)
          from = to
        }
        for (const { record, split, path } of rows) {
          builder.add({ ...record }, split, path)
          if (builder.full) check()
        }
        if (builder.length > 0) check()
        expect(from).toBe(rows.length)
      }
  })

  it('packs every kind of column the rows call for', () => {
    const rows = awkwardRecords(4096)
    const builder = new ImageBatchBuilder(4096, { split: true, path: true, findingIndex: INDEX })
    for (const { record, split, path } of rows) builder.add(record, split, path)
    const kinds = Object.fromEntries(
      Object.entries(builder.take(0).columns).map(([k, c]) => [k, c?.kind]),
    )
    expect(kinds).toEqual({
      name: 'plain',
      patient: 'plain',
      age: 'plain',
      sex: 'codes',
      view: 'codes',
      followUp: 'plain',
      width: 'nulls',
      height: 'plain',
      spacingX: 'numbers',
      spacingY: 'numbers',
      split: 'codes',
      path: 'plain',
      rawLabels: 'plain',
      study: 'plain',
    })
  })
})
