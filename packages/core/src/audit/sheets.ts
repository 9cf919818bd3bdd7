/** Images per contact sheet: 3 rows of 6, as in the ChestX-ray14 critique [W9]. */
export const SHEET_SIZE = 18

/** Pages of a finding with n items (at least one, so an empty finding still has a sheet). */
export function pageCount(n: number, size = SHEET_SIZE): number {
  return Math.max(1, Math.ceil(n / size))
}

/** The slice [start, end) of a finding's items shown on page `page` (0-based). */
export function pageRange(page: number, n: number, size = SHEET_SIZE): [number, number] {
  const start = Math.min(page * size, n)
  return [start, Math.min(start + size, n)]
}

/** A sheet: one finding's page. */
export interface SheetRef {
  readonly findingId: number
  readonly page: number
}

/** The findings of an audit in review order with their item counts. */
export interface SheetPlan {
  readonly findingId: number
  readonly items: number
}

/** The sheet after `ref`: the next page, or the first page of the next finding; null at the end. */
export function nextSheet(plan: readonly SheetPlan[], ref: SheetRef): SheetRef | null {
  const i = plan.findIndex((f) => f.findingId === ref.findingId)
  if (i < 0) return null
  if (ref.page + 1 < pageCount(plan[i]!.items))
    return { findingId: ref.findingId, page: ref.page + 1 }
  const next = plan[i + 1]
  return next === undefined ? null : { findingId: next.findingId, page: 0 }
}

/** The sheet before `ref`: the previous page, or the last page of the previous finding. */
export function previousSheet(plan: readonly SheetPlan[], ref: SheetRef): SheetRef | null {
  const i = plan.findIndex((f) => f.findingId === ref.findingId)
  if (i < 0) return null
  if (ref.page > 0) return { findingId: ref.findingId, page: ref.page - 1 }
  const prev = plan[i - 1]
  return prev === undefined ? null : { findingId: prev.findingId, page: pageCount(prev.items) - 1 }
}

/**
 * The cursor after an arrow key on a grid of `count` tiles laid out in `columns` columns: left
 * and right wrap between rows, up and down stay in the column and stop at the edges.
 */
export function moveCursor(
  index: number,
  direction: 'left' | 'right' | 'up' | 'down',
  columns: number,
  count: number,
): number {
  if (count <= 0) return 0
  const cols = Math.max(1, columns)
  const i = Math.min(Math.max(index, 0), count - 1)
  switch (direction) {
    case 'left':
      return Math.max(0, i - 1)
    case 'right':
      return Math.min(count - 1, i + 1)
    case 'up':
      return i - cols >= 0 ? i - cols : i
    case 'down':
      return i + cols < count ? i + cols : i
  }
}
