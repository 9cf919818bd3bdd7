import type { ModelEvalReport } from '@cxr-audit/core'
import { esc, num } from './escape.ts'

const COLOURS = ['#1f4e9c', '#c0392b', '#2e8b57', '#8e44ad', '#d35400', '#16a085', '#7f8c8d']
const SIZE = 300
const PAD = { left: 48, top: 28, right: 200, bottom: 40 }

function frame(title: string, xLabel: string, yLabel: string): string[] {
  const w = PAD.left + SIZE + PAD.right
  const h = PAD.top + SIZE + PAD.bottom
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="${esc(title)}" font-family="sans-serif" font-size="11">`,
    `<title>${esc(title)}</title>`,
    `<text x="${PAD.left}" y="16" font-weight="bold">${esc(title)}</text>`,
    `<rect x="${PAD.left}" y="${PAD.top}" width="${SIZE}" height="${SIZE}" fill="none" stroke="#888"/>`,
  ]
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    out.push(
      `<text x="${PAD.left + t * SIZE}" y="${PAD.top + SIZE + 14}" text-anchor="middle" fill="#444">${t}</text>`,
      `<text x="${PAD.left - 6}" y="${PAD.top + (1 - t) * SIZE + 4}" text-anchor="end" fill="#444">${t}</text>`,
    )
  }
  out.push(
    `<text x="${PAD.left + SIZE / 2}" y="${PAD.top + SIZE + 32}" text-anchor="middle">${esc(xLabel)}</text>`,
    `<text x="12" y="${PAD.top + SIZE / 2}" text-anchor="middle" transform="rotate(-90 12 ${PAD.top + SIZE / 2})">${esc(yLabel)}</text>`,
    `<line x1="${PAD.left}" y1="${PAD.top + SIZE}" x2="${PAD.left + SIZE}" y2="${PAD.top}" stroke="#bbb" stroke-dasharray="4 3"/>`,
  )
  return out
}

const px = (x: number): number => Math.round((PAD.left + x * SIZE) * 10) / 10
const py = (y: number): number => Math.round((PAD.top + (1 - y) * SIZE) * 10) / 10

function legend(out: string[], i: number, text: string): void {
  const y = PAD.top + 8 + i * 16
  const x = PAD.left + SIZE + 12
  out.push(
    `<line x1="${x}" y1="${y}" x2="${x + 18}" y2="${y}" stroke="${COLOURS[i % COLOURS.length]}" stroke-width="2"/>`,
    `<text x="${x + 24}" y="${y + 4}">${esc(text)}</text>`,
  )
}

/** Points at least `step` apart (always the first and last): a curve of 22,000 points stays small. */
function thin(xs: readonly number[], ys: readonly number[], step = 0.004): [number, number][] {
  const out: [number, number][] = []
  let last: [number, number] | null = null
  for (let i = 0; i < xs.length; i++) {
    const p: [number, number] = [xs[i]!, ys[i]!]
    if (
      last === null ||
      i === xs.length - 1 ||
      Math.hypot(p[0] - last[0], p[1] - last[1]) >= step
    ) {
      out.push(p)
      last = p
    }
  }
  return out
}

/** ROC curves of one evaluation, one per finding, as plain SVG [R10]. */
export function rocPlotSvg(e: ModelEvalReport): string {
  const title = `ROC: ${e.model} against ${e.against === 'original' ? 'the original labels' : e.against}`
  const out = frame(title, '1 - specificity', 'sensitivity')
  e.findings.forEach((f, i) => {
    const roc = f.curves?.roc
    if (roc === undefined) return
    const d = thin(roc.fpr, roc.tpr)
      .map(([x, y], k) => `${k === 0 ? 'M' : 'L'} ${px(x)} ${py(y)}`)
      .join(' ')
    out.push(
      `<path d="${d}" fill="none" stroke="${COLOURS[i % COLOURS.length]}" stroke-width="1.5"/>`,
    )
    legend(out, i, `${f.finding}: AUC ${num(f.auc)}`)
  })
  out.push('</svg>')
  return out.join('\n')
}

/** Reliability diagrams of one evaluation (mean score against observed fraction per bin) [R10]. */
export function calibrationPlotSvg(e: ModelEvalReport): string {
  const title = `Calibration: ${e.model} against ${e.against === 'original' ? 'the original labels' : e.against}`
  const out = frame(title, 'mean predicted score', 'observed fraction positive')
  e.findings.forEach((f, i) => {
    const bins = (f.calibration.bins ?? []).filter(
      (b) => b.meanPredicted !== null && b.observedFraction !== null,
    )
    if (bins.length === 0) return
    const colour = COLOURS[i % COLOURS.length]!
    const d = bins
      .map((b, k) => `${k === 0 ? 'M' : 'L'} ${px(b.meanPredicted!)} ${py(b.observedFraction!)}`)
      .join(' ')
    out.push(`<path d="${d}" fill="none" stroke="${colour}" stroke-width="1.5"/>`)
    for (const b of bins)
      out.push(
        `<circle cx="${px(b.meanPredicted!)}" cy="${py(b.observedFraction!)}" r="2.5" fill="${colour}"/>`,
      )
    legend(out, i, `${f.finding}: Brier ${num(f.calibration.brierScore)}`)
  })
  out.push('</svg>')
  return out.join('\n')
}
