import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { sharedData } from '../../../../test-support/shared-data.ts'
import { CXR14_FINDINGS } from '../findings.ts'
import { PUBLISHED_AUC_SOURCES, publishedAuc, publishedAucTable } from './published-auc.ts'

const shipped = new URL('./cxr14-published-auc.csv', import.meta.url)

function csvTable(text: string): { header: string[]; rows: string[][] } {
  const [head, ...rest] = text.trim().split(/\r?\n/)
  return { header: head!.split(','), rows: rest.map((l) => l.split(',')) }
}

describe('published AUCs', () => {
  it('[M15] the shipped CSV is the shared reference table, unchanged', () => {
    expect(readFileSync(shipped, 'utf8')).toBe(
      readFileSync(sharedData('reference/cxr14-published-auc.csv'), 'utf8'),
    )
  })

  it('[M15] the table in code equals the shipped CSV, figure for figure', () => {
    const { header, rows } = csvTable(readFileSync(shipped, 'utf8'))
    expect(header).toEqual(['finding', ...PUBLISHED_AUC_SOURCES])
    expect(publishedAucTable().map((r) => r.finding)).toEqual(rows.map((r) => r[0]))
    for (const r of rows) {
      const auc = publishedAuc(r[0]!)!
      PUBLISHED_AUC_SOURCES.forEach((source, k) => expect(auc[source]).toBe(Number(r[k + 1])))
    }
    expect(rows.map((r) => r[0])).toEqual([...CXR14_FINDINGS])
  })

  it('[M15] any spelling of a finding; none for derived findings', () => {
    expect(publishedAuc('pleural thickening')?.chexnet2017).toBe(0.8062)
    expect(publishedAuc('Opacity')).toBeNull()
    expect(publishedAuc('Nodule/Mass')).toBeNull()
  })
})
