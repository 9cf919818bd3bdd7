/** Renders a small table for people (JSON output never goes through here). */
export function table(
  header: readonly string[],
  rows: readonly (readonly (string | number | null)[])[],
): string {
  const cells = [header, ...rows].map((r) => r.map((c) => (c === null ? '' : String(c))))
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i]?.length ?? 0)))
  const line = (r: readonly string[]): string =>
    r
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd()
  return [
    line(cells[0]!),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...cells.slice(1).map(line),
  ].join('\n')
}

export const pct = (x: number | null, digits = 1): string =>
  x === null ? '' : `${(x * 100).toFixed(digits)}%`
export const fixed = (x: number | null | undefined, digits = 2): string =>
  x === null || x === undefined ? '' : x.toFixed(digits)
