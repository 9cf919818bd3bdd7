import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { sharedData } from '../../../../test-support/shared-data.ts'
import { parseCsv } from '../csv.ts'
import { delong } from './auc.ts'
import { obuchowski } from './auc-clustered.ts'
import { UndefinedAucError } from './errors.ts'
import golden from './golden/auc-obuchowski.json' with { type: 'json' }

const close = (actual: number, expected: number, tolerance = 1e-10): void => {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance)
}

/** The real predictions with each film's NIH labels and Patient ID, in the file's order. */
function readFilms() {
  const meta = parseCsv(
    gunzipSync(readFileSync(sharedData('cxr14/Data_Entry_2017_v2020.csv.gz'))).toString('utf8'),
  )
  const byName = new Map(meta.slice(1).map((r) => [r.fields[0]!, r.fields]))
  const preds = parseCsv(
    readFileSync(sharedData('predictions/densenet121-jrzech-test-preds.csv'), 'utf8'),
  )
  const header = preds[0]!.fields
  const rows = preds.slice(1)
  const patients = rows.map((r) => byName.get(r.fields[0]!)![3]!)
  const of = (finding: string) => {
    const col = header.indexOf(`prob_${finding}`)
    return {
      labels: rows.map((r) => (byName.get(r.fields[0]!)![1]!.split('|').includes(finding) ? 1 : 0)),
      scores: rows.map((r) => Number(r.fields[col])),
    }
  }
  return { patients, of }
}

describe('obuchowski: the AUC interval with patients as clusters', () => {
  const films = readFilms()

  it('[M44] matches the independent Python implementation of Obuchowski 1997 to 1e-10 on the real DenseNet-121 predictions', () => {
    for (const g of golden.findings) {
      const { labels, scores } = films.of(g.finding)
      const r = obuchowski(labels, scores, films.patients)
      expect(labels.length).toBe(g.n)
      close(r.auc, g.auc)
      close(r.variance, g.variance, 1e-14)
      close(r.low, g.low)
      close(r.high, g.high)
      expect(r).toMatchObject({
        clusters: g.clusters,
        clustersWithPositives: g.clustersWithPositives,
        clustersWithNegatives: g.clustersWithNegatives,
        repeatedClusters: g.repeatedClusters,
      })
      // many films per patient: wider than DeLong's, close to the patient bootstrap
      const d = delong(labels, scores)
      close(d.variance, g.delongVariance, 1e-14)
      expect(r.high - r.low).toBeGreaterThan(d.high - d.low)
      expect(Math.abs(r.low - g.bootstrap.low)).toBeLessThan(0.005)
      expect(Math.abs(r.high - g.bootstrap.high)).toBeLessThan(0.005)
    }
  })

  it("[M44] one film per cluster gives DeLong's variance and interval", () => {
    const { labels, scores } = films.of('Pneumothorax')
    const r = obuchowski(
      labels,
      scores,
      labels.map((_, i) => i),
    )
    const d = delong(labels, scores)
    close(r.variance, d.variance, 1e-15)
    close(r.low, d.low, 1e-12)
    close(r.high, d.high, 1e-12)
    close(r.variance, golden.findings[0]!.singleFilmClustersVariance, 1e-14)
    // hand-worked: four films, four patients
    const tiny = obuchowski([0, 0, 1, 1], [0.1, 0.4, 0.4, 0.8], ['a', 'b', 'c', 'd'])
    close(tiny.variance, delong([0, 0, 1, 1], [0.1, 0.4, 0.4, 0.8]).variance, 1e-15)
  })

  it('[M44] fewer than 2 clusters with a positive (or a negative) leaves the variance undefined', () => {
    expect(() => obuchowski([1, 1, 0, 0], [0.9, 0.8, 0.1, 0.2], ['a', 'a', 'b', 'c'])).toThrow(
      UndefinedAucError,
    )
    expect(() => obuchowski([1, 1, 0, 0], [0.9, 0.8, 0.1, 0.2], ['a', 'b', 'c', 'c'])).toThrow(
      'fewer than 2 clusters with a negative',
    )
    expect(() => obuchowski([1, 0], [0.9, 0.1], ['a'])).toThrow()
  })
})
