/**
 * A ROC curve thinned for drawing [W29]: the store gives one point per distinct score (22,433
 * images give tens of thousands), a 200-pixel plot needs a few hundred. A point is kept when it
 * lies at least `step` (in FPR + TPR) from the last kept one; the first and last always are.
 * The curve is monotone, so at most about 2 / step points remain.
 */
export function thinRoc(
  fpr: readonly number[],
  tpr: readonly number[],
  step = 0.005,
): { fpr: number[]; tpr: number[] } {
  const round = (x: number): number => Math.round(x * 10000) / 10000
  const n = Math.min(fpr.length, tpr.length)
  const out = { fpr: [] as number[], tpr: [] as number[] }
  let lastF = Number.NaN
  let lastT = Number.NaN
  for (let i = 0; i < n; i++) {
    const f = fpr[i]!
    const t = tpr[i]!
    const far = !(Math.abs(f - lastF) + Math.abs(t - lastT) < step)
    if (i === 0 || i === n - 1 || far) {
      out.fpr.push(round(f))
      out.tpr.push(round(t))
      lastF = f
      lastT = t
    }
  }
  return out
}
