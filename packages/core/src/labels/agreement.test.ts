import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { sharedData } from '../../../../test-support/shared-data.ts'
import { CXR14_FINDINGS } from '../findings.ts'
import { bootstrapInterval, cohenKappa, createRng, fleissKappa } from '../stats/index.ts'
import { agreementTable, type Read } from './agreement.ts'
import { cohenFromTable, fleissFromSums, fleissTerm } from './agreement-fast.ts'
import { parseLabelTable } from './label-table.ts'
import golden from './golden/google-validation.json' with { type: 'json' }

const close = (a: number | null | undefined, b: number | null | undefined, tol = 1e-9): void => {
  if (b === null || b === undefined) expect(a).toBeNull()
  else expect(Math.abs((a as number) - b)).toBeLessThanOrEqual(tol)
}

/** Google's individual reads of the validation set, as readers `<Reader ID>`. */
function googleReads(): { reads: Read[]; readers: string[] } {
  const text = readFileSync(
    sharedData('expert/google-four-findings/validation_individual_readers.csv'),
    'utf8',
  )
  const t = parseLabelTable(text, {
    file: 'validation_individual_readers.csv',
    findings: [...CXR14_FINDINGS, 'Opacity', 'Nodule/Mass'],
    readerColumn: 'Reader ID',
  })
  const reads = t.reads.map((r) => ({
    image: r.image,
    reader: r.reader!,
    finding: r.finding,
    verdict: r.verdict,
  }))
  return { reads, readers: [...new Set(reads.map((r) => r.reader))].sort() }
}

const FINDINGS = ['Pneumothorax', 'Opacity', 'Nodule/Mass'] as const

describe('agreement on the real Google individual reads', () => {
  const { reads, readers } = googleReads()
  const rows = agreementTable(reads, readers, FINDINGS, { seed: 1, replicates: 200 })

  it("[L11] Fleiss' kappa with varying reads per image equals the golden formula; 1-read images are left out", () => {
    for (const row of rows) {
      const g = golden.agreement[row.finding as (typeof FINDINGS)[number]]
      close(row.fleissKappa, g.varying.kappa)
      close(row.percentAgreement, g.varying.percentAgreement)
      close(row.unanimous, g.varying.unanimous)
      expect([row.images, row.reads]).toEqual([g.varying.images, g.varying.reads])
      expect(row.readsPerImage).toEqual(g.readsPerImage)
      expect(row.singleReadImages).toBe(g.readsPerImage['1'])
    }
  })

  it("[L11] on the images with exactly three reads it equals statsmodels' fleiss_kappa", () => {
    const perImage = new Map<number | string, number>()
    for (const r of reads)
      if (r.finding === 'Opacity') perImage.set(r.image, (perImage.get(r.image) ?? 0) + 1)
    const three = new Set([...perImage].filter(([, n]) => n === 3).map(([image]) => image))
    const sub = agreementTable(
      reads.filter((r) => three.has(r.image)),
      readers,
      FINDINGS,
      { seed: 1, replicates: 10 },
    )
    for (const row of sub) {
      const g = golden.agreement[row.finding as (typeof FINDINGS)[number]].threeReads
      expect(row.images).toBe(g.images)
      close(row.fleissKappa, g.fleissKappa)
    }
  })

  it("[L12] each pair's Cohen's kappa, images and percent agreement equal scikit-learn's", () => {
    for (const row of rows) {
      const g = golden.agreement[row.finding as (typeof FINDINGS)[number]].pairs
      expect(row.pairs.map((p) => [p.a, p.b, p.images])).toEqual(g.map((p) => [p.a, p.b, p.images]))
      row.pairs.forEach((p, i) => {
        close(p.cohenKappa, g[i]!.cohenKappa)
        close(p.percentAgreement, g[i]!.percentAgreement)
        if (p.cohenKappa === null) expect(p.note).toMatch(/single category/)
      })
    }
  })

  it('[L13] intervals contain the estimate and are reproducible from the seed', () => {
    const again = agreementTable(reads, readers, FINDINGS, { seed: 1, replicates: 200 })
    expect(again).toEqual(rows)
    for (const row of rows) {
      expect(row.fleissKappaLow!).toBeLessThanOrEqual(row.fleissKappa!)
      expect(row.fleissKappaHigh!).toBeGreaterThanOrEqual(row.fleissKappa!)
    }
    const other = agreementTable(reads, readers, ['Opacity'], { seed: 2, replicates: 200 })
    expect(other[0]!.fleissKappaLow).not.toBe(rows[1]!.fleissKappaLow)
  })

  it('[L13] narrowing the findings does not change the others: one resample of all images', () => {
    const one = agreementTable(reads, readers, ['Nodule/Mass'], { seed: 1, replicates: 200 })
    expect(one[0]).toEqual(rows[2])
  })
})

describe('kappa from running sums', () => {
  it('[L13] fleissFromSums equals fleissKappa on random tables of 2 to 5 reads', () => {
    const rng = createRng('fleiss-sums')
    for (let t = 0; t < 200; t++) {
      const rows: number[][] = []
      for (let i = 0, n = 1 + rng.int(40); i < n; i++) {
        const c = [0, 0, 0]
        for (let k = 0, reads = 2 + rng.int(4); k < reads; k++) c[rng.int(rng.int(3) + 1)]!++
        rows.push(c)
      }
      let items = 0
      let reads = 0
      let agreement = 0
      const c = [0, 0, 0]
      for (const r of rows) {
        items++
        reads += r[0]! + r[1]! + r[2]!
        agreement += fleissTerm(r[0]!, r[1]!, r[2]!)
        for (let j = 0; j < 3; j++) c[j]! += r[j]!
      }
      const fast = fleissFromSums(items, reads, agreement, c[0]!, c[1]!, c[2]!)
      let want: number
      try {
        want = fleissKappa(rows)
      } catch {
        want = Number.NaN
      }
      if (Number.isNaN(want)) expect(fast).toBeNaN()
      else close(fast, want, 1e-12)
    }
  })

  it('[L13] cohenFromTable equals cohenKappa on random pairs of readers', () => {
    const rng = createRng('cohen-table')
    for (let t = 0; t < 200; t++) {
      const n = 1 + rng.int(30)
      const a = Array.from({ length: n }, () => rng.int(1 + rng.int(3)))
      const b = a.map((x) => (rng.next() < 0.6 ? x : rng.int(3)))
      const table = new Int32Array(9)
      a.forEach((x, i) => table[x * 3 + b[i]!]!++)
      let want: number
      try {
        want = cohenKappa(a, b, [0, 1, 2])
      } catch {
        want = Number.NaN
      }
      const fast = cohenFromTable(table, 0)
      if (Number.isNaN(want)) expect(fast).toBeNaN()
      else close(fast, want, 1e-12)
    }
  })

  it('[L13] with one finding and every image read twice or more, the interval is bootstrapInterval(fleissKappa)', () => {
    const rng = createRng('bootstrap-check')
    const reads: Read[] = []
    const counts: number[][] = []
    for (let im = 0; im < 150; im++) {
      const c = [0, 0, 0]
      for (let r = 0, n = 2 + rng.int(2); r < n; r++) {
        const code = rng.next() < 0.7 ? im % 2 : rng.int(3)
        const v = (['present', 'absent', 'uncertain'] as const)[code]!
        reads.push({ image: im, reader: `r${r}`, finding: 'Mass', verdict: v })
        c[code]!++
      }
      counts.push(c)
    }
    const [row] = agreementTable(reads, ['r0', 'r1', 'r2'], ['Mass'], { seed: 7, replicates: 500 })
    const want = bootstrapInterval(counts, fleissKappa, { rng: createRng(7), replicates: 500 })
    close(row!.fleissKappa, want.estimate, 1e-12)
    close(row!.fleissKappaLow, want.low, 1e-12)
    close(row!.fleissKappaHigh, want.high, 1e-12)
  })
})

describe('undefined agreement', () => {
  it('[L11] no image with two reads, or every read in one category: null kappa and the reason', () => {
    const single = agreementTable(
      [{ image: 1, reader: 'a', finding: 'Mass', verdict: 'present' }],
      ['a', 'b'],
      ['Mass'],
      { seed: 1, replicates: 10 },
    )[0]!
    expect([single.fleissKappa, single.images, single.singleReadImages]).toEqual([null, 0, 1])
    expect(single.note).toMatch(/two reads/)
    const same = agreementTable(
      [1, 2, 3].flatMap((image) =>
        ['a', 'b'].map((reader) => ({
          image,
          reader,
          finding: 'Mass',
          verdict: 'absent' as const,
        })),
      ),
      ['a', 'b'],
      ['Mass'],
      { seed: 1, replicates: 10 },
    )[0]!
    expect(same.fleissKappa).toBeNull()
    expect(same.percentAgreement).toBe(1)
    expect(same.pairs[0]!.cohenKappa).toBeNull()
    expect(same.pairs[0]!.percentAgreement).toBe(1)
  })
})
