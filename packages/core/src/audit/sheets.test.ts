import { describe, expect, it } from 'vitest'
import { moveCursor, nextSheet, pageCount, pageRange, previousSheet, SHEET_SIZE } from './sheets.ts'

describe('sheets', () => {
  it('[W9] 18 images per sheet; 37 items make 3 pages, the last holding 1', () => {
    expect(SHEET_SIZE).toBe(18)
    expect(pageCount(37)).toBe(3)
    expect(pageRange(2, 37)).toEqual([36, 37])
    expect(pageCount(0)).toBe(1)
  })

  it('[W9] next and previous sheets cross from one finding to the next', () => {
    const plan = [
      { findingId: 5, items: 20 },
      { findingId: 9, items: 3 },
    ]
    expect(nextSheet(plan, { findingId: 5, page: 0 })).toEqual({ findingId: 5, page: 1 })
    expect(nextSheet(plan, { findingId: 5, page: 1 })).toEqual({ findingId: 9, page: 0 })
    expect(nextSheet(plan, { findingId: 9, page: 0 })).toBeNull()
    expect(previousSheet(plan, { findingId: 9, page: 0 })).toEqual({ findingId: 5, page: 1 })
    expect(previousSheet(plan, { findingId: 5, page: 0 })).toBeNull()
  })

  it('[W14] arrows move in a 6-column grid; left/right wrap rows, up/down stop at edges', () => {
    expect(moveCursor(5, 'right', 6, 18)).toBe(6)
    expect(moveCursor(6, 'left', 6, 18)).toBe(5)
    expect(moveCursor(2, 'up', 6, 18)).toBe(2)
    expect(moveCursor(2, 'down', 6, 18)).toBe(8)
    expect(moveCursor(14, 'down', 6, 18)).toBe(14)
    expect(moveCursor(17, 'right', 6, 18)).toBe(17)
    expect(moveCursor(3, 'down', 6, 7)).toBe(3)
  })
})
