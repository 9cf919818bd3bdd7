/**
 * Failed logins per (name, address) and per address in a sliding window: a guesser is slowed
 * on one account and across accounts, while the user at another address can still log in.
 */
export class LoginLimiter {
  private readonly failures = new Map<string, number[]>()

  constructor(
    private readonly o: {
      readonly perName: number
      readonly perAddress: number
      readonly windowMs: number
      readonly clock?: () => number
    } = { perName: 5, perAddress: 20, windowMs: 15 * 60_000 },
  ) {}

  private now(): number {
    return this.o.clock?.() ?? Date.now()
  }

  private recent(key: string): number[] {
    const since = this.now() - this.o.windowMs
    const list = (this.failures.get(key) ?? []).filter((t) => t > since)
    if (list.length === 0) this.failures.delete(key)
    else this.failures.set(key, list)
    return list
  }

  /** Seconds to wait before the next attempt, or 0 when one is allowed. */
  retryAfter(name: string, address: string): number {
    const pair = this.recent(`${name}\u0000${address}`)
    const all = this.recent(address)
    const blocked = [
      ...(pair.length >= this.o.perName ? [pair[pair.length - this.o.perName]!] : []),
      ...(all.length >= this.o.perAddress ? [all[all.length - this.o.perAddress]!] : []),
    ]
    if (blocked.length === 0) return 0
    return Math.max(1, Math.ceil((Math.max(...blocked) + this.o.windowMs - this.now()) / 1000))
  }

  failed(name: string, address: string): void {
    if (this.failures.size > 100_000) this.failures.clear()
    for (const key of [`${name}\u0000${address}`, address])
      this.failures.set(key, [...this.recent(key), this.now()])
  }

  succeeded(name: string, address: string): void {
    this.failures.delete(`${name}\u0000${address}`)
  }
}
