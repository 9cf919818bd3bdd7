import { UsageError } from '../errors.ts'

/** A whole number option from `min` to `max`, or a UsageError naming the option. */
export function wholeNumber(option: string, text: string, min: number, max: number): number {
  const s = text.trim()
  const n = Number(s)
  if (!/^\d+$/.test(s) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`${option} must be a whole number from ${min} to ${max}, got "${text}"`)
  }
  return n
}
