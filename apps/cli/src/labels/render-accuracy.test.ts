import { accuracyStats, countJudged, type JudgedItem } from '@cxr-audit/core'
import type { LabelAccuracyReport } from '@cxr-audit/store'
import { describe, expect, it } from 'vitest'
import { renderAccuracy } from './stats-labels.ts'

const items = (label: number, verdict: JudgedItem['verdict'], n: number): JudgedItem[] =>
  Array.from({ length: n }, () => ({ label, verdict }))

function report(judged: JudgedItem[], unfinishedImages: number): LabelAccuracyReport {
  return {
    reader: 'rad',
    readers: ['rad'],
    consensus: false,
    dataset: 'cxr14',
    audit: null,
    ci: 'wilson',
    confidence: 0.95,
    by: null,
    findings: [
      {
        finding: 'Effusion',
        derived: false,
        from: null,
        ...accuracyStats(countJudged(judged), 'wilson'),
        publishedPrecision: null,
        publishedRecall: null,
        publishedSource: null,
        labelledNegativeMention: 0,
        labelledNotMentioned: judged.filter((j) => j.label === 0).length,
        unusable: 2,
        drawnByScore: 0,
        unfinishedImages,
      },
    ],
    unfinishedImages,
    noCounterpart: [],
    labelIssues: [],
    warnings: [],
  }
}

describe('the stats labels table', () => {
  it('[L23] [L24] [L25] prints "not sampled", the lenient PPV interval, unusable and unfinished films', () => {
    const text = renderAccuracy(report([...items(1, 'present', 8), ...items(1, 'uncertain', 2)], 3))
    expect(text).toContain(
      'Unfinished pages: 3 films left out until the reader finishes their page.',
    )
    const row = text.split('\n').find((l) => l.startsWith('Effusion'))!
    // PPV 80% and lenient 100% with their Wilson intervals, 2 unusable, then NPV, sens, spec
    expect(row).toMatch(/80\.0% \(49\.0%-94\.3%\)\s+100\.0% \(72\.2%-100\.0%\)\s+2\s+0\s+0\/0\/0/)
    expect(row.match(/not sampled/g)?.length).toBe(3)
    const full = renderAccuracy(report([...items(1, 'present', 1), ...items(0, 'absent', 1)], 0))
    expect(full).toContain('Unfinished pages: none')
    expect(full).not.toContain('not sampled')
  })
})
