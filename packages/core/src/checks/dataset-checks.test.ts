import { describe, expect, it } from 'vitest'
import { checkDataset } from './dataset-checks.ts'
import type { CheckImage } from './types.ts'

const image = (over: Partial<CheckImage> & { name: string }): CheckImage => ({
  patient: over.name,
  age: 40,
  sex: 'M',
  view: 'PA',
  split: null,
  onDisk: true,
  positives: [],
  rawLabels: ['No Finding'],
  ...over,
})

const FINDINGS = ['Atelectasis', 'Effusion', 'Pneumonia']
const DERIVED = [{ name: 'Opacity', from: ['Atelectasis', 'Pneumonia'] }]

function run(images: CheckImage[], over: Partial<Parameters<typeof checkDataset>[0]> = {}) {
  return checkDataset({
    dataset: 'd',
    images,
    findings: FINDINGS,
    derived: DERIVED,
    filesNotInMetadata: [],
    imagesScanned: true,
    ...over,
  })
}

describe('dataset checks', () => {
  it('[K1] counts prevalence, derived prevalence and co-occurrence', () => {
    const r = run([
      image({
        name: 'a',
        positives: ['Atelectasis', 'Effusion'],
        rawLabels: ['Atelectasis', 'Effusion'],
      }),
      image({
        name: 'b',
        positives: ['Atelectasis', 'Pneumonia'],
        rawLabels: ['Atelectasis', 'Pneumonia'],
      }),
      image({ name: 'c' }),
      image({ name: 'd', positives: ['Effusion'], rawLabels: ['Effusion'] }),
    ])
    expect(r.prevalence).toEqual([
      { finding: 'Atelectasis', derived: false, positives: 2, prevalence: 0.5 },
      { finding: 'Effusion', derived: false, positives: 2, prevalence: 0.5 },
      { finding: 'Pneumonia', derived: false, positives: 1, prevalence: 0.25 },
      // b is positive for both parts: counted once
      { finding: 'Opacity', derived: true, positives: 2, prevalence: 0.5 },
    ])
    expect(r.cooccurrence.counts).toEqual([
      [2, 1, 1],
      [1, 2, 0],
      [1, 0, 1],
    ])
  })

  it('[K2] lists impossible and suspicious values with examples', () => {
    const r = run(
      [
        image({ name: 'old', age: 148 }),
        image({ name: 'noage', age: null }),
        image({ name: 'sexless', sex: 'O' }),
        image({ name: 'lat', view: 'LL' }),
        image({ name: 'dup' }),
        image({ name: 'dup' }),
        image({ name: 'odd', rawLabels: ['Fracture'] }),
        image({ name: 'both', rawLabels: ['No Finding', 'Effusion'], positives: ['Effusion'] }),
        image({ name: 'gone', onDisk: false }),
      ],
      { filesNotInMetadata: ['stray.png'] },
    )
    const byKind = Object.fromEntries(r.problems.map((p) => [p.kind, [p.count, ...p.examples]]))
    expect(byKind).toEqual({
      'age-out-of-range': [1, 'old (148)'],
      'missing-age': [1, 'noage'],
      'unknown-sex': [1, 'sexless (O)'],
      'unknown-view': [1, 'lat (LL)'],
      'duplicate-image': [1, 'dup'],
      'unknown-finding': [1, 'odd (Fracture)'],
      'no-finding-with-finding': [1, 'both'],
      'missing-on-disk': [1, 'gone'],
      'not-in-metadata': [1, 'stray.png'],
    })
  })

  it('[K2] says once that no image folder was given instead of listing every image', () => {
    const r = run([image({ name: 'a', onDisk: false }), image({ name: 'b', onDisk: false })], {
      imagesScanned: false,
    })
    expect(r.problems.map((p) => [p.kind, p.count])).toEqual([['no-image-folder', 1]])
  })

  it('[K3] finds patients whose images fall in more than one split', () => {
    const r = run([
      image({ name: 'a1', patient: 'A', split: 'train' }),
      image({ name: 'a2', patient: 'A', split: 'test' }),
      image({ name: 'b1', patient: 'B', split: 'train' }),
    ])
    expect(r.leakage).toEqual({
      patients: 1,
      images: 2,
      examples: ['a1 (patient A, train)', 'a2 (patient A, test)'],
    })
    expect(r.problems.find((p) => p.kind === 'split-leakage')?.count).toBe(2)
  })

  it('[K4] compares splits with SMD and flags |SMD| > 0.1', () => {
    const r = run([
      image({ name: 't1', patient: 'P1', split: 'train', age: 20, sex: 'M' }),
      image({
        name: 't2',
        patient: 'P1',
        split: 'train',
        age: 40,
        sex: 'M',
        positives: ['Effusion'],
      }),
      image({ name: 't3', patient: 'P2', split: 'train', age: 60, sex: 'F' }),
      image({
        name: 's1',
        patient: 'P3',
        split: 'test',
        age: 50,
        sex: 'M',
        positives: ['Effusion'],
      }),
      image({ name: 's2', patient: 'P4', split: 'test', age: 70, sex: 'F', view: 'AP' }),
    ])
    expect(r.cohort.compared).toEqual(['train', 'test'])
    const row = (variable: string, level: string) =>
      r.cohort.rows.find((x) => x.variable === variable && x.level === level)!
    // hand-computed: (40 - 60) / sqrt((20^2 + 14.142^2) / 2)
    expect(row('age', 'mean').smd).toBeCloseTo(-1.1547005383792515, 12)
    expect(row('age', 'mean').values['train']).toEqual({ value: 40, sd: 20, n: 3 })
    expect(row('age', 'median').values['test']!.value).toBe(60)
    expect(row('age', 'Q1').values['train']!.value).toBe(30)
    // (2/3 - 1/2) / sqrt((2/9 + 1/4) / 2)
    expect(row('sex', 'M').smd).toBeCloseTo(0.3429971702850176, 12)
    expect(row('sex', 'M').flag).toBe(true)
    expect(row('view', 'PA').values['test']).toEqual({ value: 0.5, n: 1 })
    expect(row('images per patient', 'mean').values['train']).toMatchObject({ value: 1.5, n: 2 })
    expect(row('finding', 'Atelectasis')).toMatchObject({ smd: 0, flag: false })
    expect(row('finding', 'Effusion').values['test']).toEqual({ value: 0.5, n: 1 })
  })

  it('[K4] has nothing to compare with a single split', () => {
    expect(run([image({ name: 'a', split: 'train' })]).cohort).toEqual({
      splits: ['train'],
      compared: null,
      rows: [],
    })
  })
})
