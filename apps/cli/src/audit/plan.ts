import { expectedHalfWidth, plannedSampleSize, StatsInputError } from '@cxr-audit/core'
import type { Context } from '../context.ts'
import { UsageError } from '../errors.ts'

/** A proportion written as 0.8 or 80%. */
function proportion(what: string, text: string): number {
  const t = text.trim()
  const pct = t.endsWith('%')
  const n = Number(pct ? t.slice(0, -1) : t)
  if (t === '' || !Number.isFinite(n))
    throw new UsageError(`${what} must be a number, got "${text}"`)
  return pct ? n / 100 : n
}

export interface PlanResult {
  readonly expected: number
  readonly confidence: number
  readonly halfWidth: number
  readonly n: number
  readonly method: 'wilson'
}

/** `audit plan`: images for a wanted half-width (Wilson 1927), or the half-width of n images [W1]. */
export async function auditPlanCommand(
  ctx: Context,
  o: { expected: string; halfWidth?: string; n?: string; confidence: string },
): Promise<PlanResult> {
  const expected = proportion('--expected', o.expected)
  const confidence = proportion('--confidence', o.confidence)
  if ((o.halfWidth === undefined) === (o.n === undefined))
    throw new UsageError('give either --half-width (to plan the number of images) or --n')
  try {
    if (o.n !== undefined) {
      const n = Number(o.n)
      if (!/^\d+$/.test(o.n.trim()) || n < 1)
        throw new UsageError(`--n must be a whole number of images, got "${o.n}"`)
      const halfWidth = expectedHalfWidth({ expected, n, confidence })
      ctx.say(
        `${n} images at an expected ${fmt(expected)} give a ${fmt(confidence)} Wilson interval of +/- ${fmt(halfWidth, 2)}.`,
      )
      return { expected, confidence, halfWidth, n, method: 'wilson' }
    }
    const wanted = proportion('--half-width', o.halfWidth!)
    const n = plannedSampleSize({ expected, halfWidth: wanted, confidence })
    const halfWidth = expectedHalfWidth({ expected, n, confidence })
    ctx.say(
      `Review ${n} images: at an expected ${fmt(expected)}, the ${fmt(confidence)} Wilson interval is then +/- ${fmt(halfWidth, 2)} (wanted +/- ${fmt(wanted, 2)}).`,
    )
    return { expected, confidence, halfWidth, n, method: 'wilson' }
  } catch (e) {
    if (e instanceof StatsInputError) throw new UsageError(e.message)
    throw e
  }
}

const fmt = (p: number, digits = 0): string => `${(p * 100).toFixed(digits)}%`
