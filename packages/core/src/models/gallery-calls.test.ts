import { describe, expect, it } from 'vitest'
import golden from './golden/gallery-calls.json' with { type: 'json' }
import { galleryCallTables, type GalleryCounts } from './gallery-calls.ts'

const g = (cell: GalleryCounts['cell'], present: number, absent: number, uncertain = 0) => ({
  finding: 'Effusion',
  cell,
  threshold: 0.3,
  judged: present + absent + uncertain,
  present,
  absent,
  uncertain,
})

describe('[M45] the model against the reader over its reviewed galleries', () => {
  it('[M45] by hand: TP+FP are called positive, TN+FN negative; uncertain left out', () => {
    const [t] = galleryCallTables([
      g('tp', 15, 2, 1),
      g('fp', 7, 9, 2),
      g('tn', 1, 16),
      g('fn', 10, 6),
    ])
    expect(t).toMatchObject({
      finding: 'Effusion',
      threshold: 0.3,
      reviewed: ['tp', 'fp', 'tn', 'fn'],
      complete: true,
      calledPositive: { judged: 36, present: 22, absent: 11, uncertain: 3 },
      calledNegative: { judged: 33, present: 11, absent: 22, uncertain: 0 },
      ppv: 22 / 33,
      npv: 22 / 33,
    })
  })

  it('[M45] a cell not reviewed yet: the table says which, and is not complete', () => {
    const [t] = galleryCallTables([g('tp', 5, 1), g('fp', 0, 0), g('fn', 2, 2)])
    expect(t!.reviewed).toEqual(['tp', 'fn'])
    expect(t!.complete).toBe(false)
    expect(galleryCallTables([g('tp', 0, 0, 3)])[0]).toMatchObject({ ppv: null, ppvLow: null })
  })

  it('[M45] PPV, NPV and their Wilson intervals match statsmodels', () => {
    for (const c of golden.cases) {
      const [t] = galleryCallTables(c.cells as GalleryCounts[])
      for (const [k, v] of Object.entries(c.expected)) {
        const got = t![k as keyof typeof t] as number | null
        if (v === null) expect(got, k).toBeNull()
        else expect(got!, k).toBeCloseTo(v, 12)
      }
    }
  })
})
