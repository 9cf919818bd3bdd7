/**
 * A count as `n.toLocaleString('en-US')` writes it (22,433), for whole numbers without asking
 * ICU: its number formatter costs ~8 ms to load on first use, a tenth of a short command
 * (docs/decisions/045). Other numbers still go to toLocaleString.
 */
export function formatCount(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US')
  const digits = String(Math.abs(n))
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1)
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`
  return n < 0 || Object.is(n, -0) ? `-${out}` : out
}
