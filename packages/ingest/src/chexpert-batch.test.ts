import { describe, expect, it } from 'vitest'
import {
  ChexpertParser,
  ProblemList,
  type ChexpertItem,
  type ChexpertRecord,
  type ImageRecord,
} from '@cxr-audit/core'
import { ChexpertBatchBuilder } from './chexpert-batch.ts'
import { packImageBatch, type ImageBatch } from './image-batch.ts'
import { LabelledCounts } from './labelled-counts.ts'
import { unpackColumn } from './packed-columns.ts'
import { summariseLabelledItems } from './labelled-items.ts'

const HEAD =
  'Path,Sex,Age,Frontal/Lateral,AP/PA,No Finding,Enlarged Cardiomediastinum,Cardiomegaly,Lung Opacity,Lung Lesion,Edema,Consolidation,Pneumonia,Atelectasis,Pneumothorax,Pleural Effusion,Pleural Other,Fracture,Support Devices'

/** A small seeded generator (mulberry32), so that a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Rows of every shape the parsers meet: the usual ones mostly, and the awkward ones. */
function awkwardFile(seed: number, rows: number): string {
  const r = random(seed)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!
  const often = <T>(usual: T, odd: readonly T[], rate = 0.2): T => (r() < rate ? pick(odd) : usual)
  const prefixes = ['CheXpert-v1.0-small/train/', 'CheXpert-v1.0/valid/', '/data/x/', '', 'test/']
  const lines = [HEAD]
  const paths: string[] = []
  let patient = 1
  for (let i = 0; i < rows; i++) {
    if (r() < 0.3) patient++
    const p = r() < 0.05 ? Math.floor(r() * patient) + 1 : patient // a patient met again
    const digits = often(5, [4, 6])
    const patientText = `patient${String(p).padStart(digits, '0')}`
    const study = often(`study${Math.floor(r() * 4) + 1}`, ['study01', 'study0', 'study12345'])
    const file = pick(['view1_frontal.jpg', 'view2_lateral.jpg', 'view1_lateral.jpg'])
    let path = `${pick(prefixes)}${patientText}/${study}/${file}`
    if (r() < 0.02) path = path.replace(/\//g, '\\')
    if (r() < 0.02) path = ` ${path}`
    if (r() < 0.02) path = `${patientText}/${study}` // a study where a film is due
    if (r() < 0.01) path = 'view1_frontal.jpg'
    if (paths.length > 0 && r() < 0.05) path = pick(paths) // a repeat
    paths.push(path)
    const cell = (): string =>
      often(
        pick(['', '1.0', '0.0', '-1.0']),
        ['1', '0', '-1', ' 1.0', '-1.0 ', 'yes', '2.0'],
        0.015,
      )
    const cells = Array.from({ length: 14 }, cell)
    const age = often(String(Math.floor(r() * 90)), ['', ' ', '58.5', 'x', ' 61'])
    const sex = often(pick(['Male', 'Female']), ['Unknown', ' Male', '', 'Female '])
    const frontal = often(pick(['Frontal', 'Lateral']), ['', ' Lateral'])
    const apPa = often(pick(['AP', 'PA', '']), ['LL', 'RL', ' AP'])
    let fields = [path, sex, age, frontal, apPa, ...cells]
    if (r() < 0.01) fields = fields.slice(0, 4) // too few columns
    let line = fields.join(',')
    if (r() < 0.02) line = line.replace(/^([^,]*),([^,]*),/, '"$1","$2",') // quoted fields
    lines.push(line)
  }
  return lines.join('\n') + '\n'
}

/** The file read as records (the read-first path) and as items packed into batches. */
function both(
  text: string,
  sizes: [number, number],
  files: Map<string, string> | null,
  seed: number,
) {
  const general = new ChexpertParser('f.csv')
  general.push(text)
  const table = general.end()
  const batches: ImageBatch[] = []
  let builder: ChexpertBatchBuilder | null = null
  let counts: LabelledCounts | null = null
  const fast: ChexpertParser = new ChexpertParser('f.csv', (item: ChexpertItem) => {
    if (builder === null) {
      const c = fast.columns!
      counts = new LabelledCounts(c.findings)
      builder = new ChexpertBatchBuilder(
        sizes[0],
        files !== null,
        new Map(c.findings.map((f, i) => [f, i])),
      )
    }
    const path = files === null ? null : (files.get(item.name) ?? null)
    builder.add(item, path)
    counts!.add(
      item.patient,
      item.study,
      item.view,
      item.split,
      seed % 2 === 0 ? item.labels.labels : null,
      path !== null,
      item.newPatient,
      item.newStudy,
    )
    if (seed % 2 === 1) counts!.addLabels(item.labels.labels, 1)
    if (builder.full) {
      batches.push(builder.batch())
      builder = builder.another(sizes[1])
    }
  })
  fast.push(text)
  const end = fast.end()
  if (builder !== null && (builder as ChexpertBatchBuilder).length > 0)
    batches.push((builder as ChexpertBatchBuilder).batch())
  return { table, end, fast, batches, counts: counts as LabelledCounts | null }
}

describe('CheXpert items packed as read (docs/decisions/050)', () => {
  it.each([1, 2, 3, 4])(
    'agree with the records packed by packImageBatch, and count as summariseLabelledItems (seed %i)',
    (seed) => {
      const text = awkwardFile(seed, 3000)
      const sizes: [number, number] = seed % 2 === 0 ? [7, 300] : [1024, 4096]
      const files =
        seed > 2
          ? new Map(
              [...text.matchAll(/(patient\d+\/study\d+\/view\d_\w+\.jpg)/g)]
                .filter((_, i) => i % 3 === 0)
                .map((m) => [m[1]!, `/images/${m[1]!}`]),
            )
          : null
      const { table, end, fast, batches, counts } = both(text, sizes, files, seed)
      // the awkward rows are there: errors, repeats, odd spellings
      expect(table.errors.length).toBeGreaterThan(20)
      expect(table.duplicates.length).toBeGreaterThan(20)
      expect(table.records.length).toBeGreaterThan(1500)
      // the same checks, in the same order; no record kept
      expect(end.errors).toEqual(table.errors)
      expect(end.duplicates).toEqual(table.duplicates)
      expect(end.records).toEqual([])
      expect(fast.items).toBe(table.records.length)
      // the same batches as packing the records
      const findingIndex = new Map(table.findings.map((f, i) => [f, i]))
      let from = 0
      batches.forEach((b, k) => {
        const n = unpackColumn(b.columns.name!).length
        expect(n).toBe(
          k === 0
            ? Math.min(sizes[0], table.records.length)
            : Math.min(sizes[1], table.records.length - from),
        )
        const records = table.records.slice(from, from + n)
        const packed = packImageBatch(
          records,
          (r: ImageRecord) => (r as ChexpertRecord).split,
          files === null ? null : (r: ImageRecord) => files.get(r.name) ?? null,
          findingIndex,
        )
        expect(b).toEqual(packed)
        from += n
      })
      expect(from).toBe(table.records.length)
      // the same summary as counting the records
      const problems = new ProblemList()
      const expected = summariseLabelledItems(
        {
          kind: 'film',
          findings: table.findings,
          records: table.records,
          errors: table.errors,
          ignoredColumns: [],
          files,
          roots: [],
          problems,
        },
        'x',
        1,
      )
      const summary = counts!.summary({
        name: 'x',
        datasetId: 1,
        kind: 'film',
        ignoredColumns: [],
        skippedRows: table.errors.length,
        problems: problems.list(),
      })
      expect(JSON.stringify(summary)).toBe(JSON.stringify(expected))
      expect(summary.patients).toBeGreaterThan(100)
    },
  )
})
