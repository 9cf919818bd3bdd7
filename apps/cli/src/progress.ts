/**
 * A progress bar on stderr, shown only on a terminal and only once a task has run for a second
 * (short tasks stay quiet; pipes and CI logs get no bar noise).
 */
export class Progress {
  readonly #start = performance.now()
  readonly #out = process.stderr
  #last = 0
  #shown = false

  constructor(readonly enabled: boolean = process.stderr.isTTY === true) {}

  update(stage: string, done: number, total: number): void {
    if (!this.enabled) return
    const t = performance.now()
    if (t - this.#start < 1000 || t - this.#last < 100) return
    this.#last = t
    const frac = total > 0 ? Math.min(1, done / total) : 0
    const width = 30
    const bar = '#'.repeat(Math.round(frac * width)).padEnd(width, '-')
    this.#out.write(`\r${stage.padEnd(12)} [${bar}] ${(frac * 100).toFixed(0).padStart(3)}%`)
    this.#shown = true
  }

  done(): void {
    if (this.#shown) this.#out.write('\r\x1b[K')
    this.#shown = false
  }
}
