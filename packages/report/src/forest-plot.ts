import { esc, pct } from './escape.ts'

export interface ForestRow {
  readonly label: string
  readonly value: number | null
  readonly low: number | null
  readonly high: number | null
  /** The published text-mining precision, drawn beside the estimate. */
  readonly published: number | null
  readonly n: number
  /** The lenient PPV (uncertain counted present) and its interval: the second mark [L24]. */
  readonly lenient?: {
    readonly value: number | null
    readonly low: number | null
    readonly high: number | null
  }
}

/**
 * A forest plot as inline SVG [L18]: per finding, the PPV (dot) with its interval (line) and the
 * published text-mining precision (diamond), on a 0-100% axis. Plain SVG, no script, every text
 * escaped.
 */
export function forestPlotSvg(rows: readonly ForestRow[], title: string): string {
  const rowH = 26
  const left = 190
  const plotW = 420
  const right = 230
  const top = 40
  const height = top + rows.length * rowH + 68
  const width = left + plotW + right
  const x = (v: number): number => left + v * plotW
  const parts: string[] = []
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(title)}" font-family="sans-serif" font-size="12">`,
    `<title>${esc(title)}</title>`,
    `<text x="${left}" y="16" font-weight="bold">${esc(title)}</text>`,
  )
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    const xt = x(t)
    parts.push(
      `<line x1="${xt}" y1="${top - 8}" x2="${xt}" y2="${top + rows.length * rowH}" stroke="#ddd"/>`,
      `<text x="${xt}" y="${top + rows.length * rowH + 16}" text-anchor="middle" fill="#444">${t * 100}%</text>`,
    )
  }
  rows.forEach((r, i) => {
    const y = top + i * rowH + rowH / 2
    parts.push(`<text x="${left - 10}" y="${y + 4}" text-anchor="end">${esc(r.label)}</text>`)
    if (r.value !== null && r.low !== null && r.high !== null) {
      parts.push(
        `<line x1="${x(r.low)}" y1="${y}" x2="${x(r.high)}" y2="${y}" stroke="#1f4e9c" stroke-width="2"/>`,
        `<circle cx="${x(r.value)}" cy="${y}" r="5" fill="#1f4e9c"><title>${esc(`${r.label}: PPV ${pct(r.value)} (${pct(r.low)} to ${pct(r.high)}), n = ${r.n}`)}</title></circle>`,
      )
    }
    const l = r.lenient
    if (l !== undefined && l.value !== null && l.low !== null && l.high !== null) {
      // below the strict mark, hollow, so the two never hide each other
      const yl = y + 7
      parts.push(
        `<line x1="${x(l.low)}" y1="${yl}" x2="${x(l.high)}" y2="${yl}" stroke="#7f9fcf" stroke-width="1.5" stroke-dasharray="3 2"/>`,
        `<rect x="${x(l.value) - 3.5}" y="${yl - 3.5}" width="7" height="7" fill="#fff" stroke="#1f4e9c" stroke-width="1.5"><title>${esc(`${r.label}: lenient PPV ${pct(l.value)} (${pct(l.low)} to ${pct(l.high)})`)}</title></rect>`,
      )
    }
    if (r.published !== null) {
      const xp = x(r.published)
      parts.push(
        `<path d="M ${xp} ${y - 6} L ${xp + 6} ${y} L ${xp} ${y + 6} L ${xp - 6} ${y} Z" fill="none" stroke="#c0392b" stroke-width="2"><title>${esc(`${r.label}: published precision ${pct(r.published)}`)}</title></path>`,
      )
    }
    const text =
      r.value === null
        ? 'no labelled positives'
        : `${pct(r.value)} [${pct(r.low)}, ${pct(r.high)}], n = ${r.n}`
    parts.push(`<text x="${left + plotW + 10}" y="${y + 4}" fill="#333">${esc(text)}</text>`)
  })
  const ly = top + rows.length * rowH + 36
  parts.push(
    `<circle cx="${left + 6}" cy="${ly - 4}" r="5" fill="#1f4e9c"/>`,
    `<text x="${left + 16}" y="${ly}">PPV with 95% interval (this review)</text>`,
    `<path d="M ${left + 246} ${ly - 10} L ${left + 252} ${ly - 4} L ${left + 246} ${ly + 2} L ${left + 240} ${ly - 4} Z" fill="none" stroke="#c0392b" stroke-width="2"/>`,
    `<text x="${left + 258}" y="${ly}">published text-mining precision</text>`,
    ...(rows.some((r) => r.lenient !== undefined)
      ? [
          `<rect x="${left + 2.5}" y="${ly + 10.5}" width="7" height="7" fill="#fff" stroke="#1f4e9c" stroke-width="1.5"/>`,
          `<text x="${left + 16}" y="${ly + 18}">lenient PPV (uncertain counted as present) with 95% interval</text>`,
        ]
      : []),
    '</svg>',
  )
  return parts.join('\n')
}
