/**
 * A bounded queue between async producers and one consumer: `push` waits while the queue is
 * full, so decoded images never pile up faster than inference takes them (bounded memory).
 */
export class Channel<T> {
  readonly #items: T[] = []
  readonly #capacity: number
  #closed = false
  #notFull: (() => void)[] = []
  #notEmpty: (() => void) | undefined

  constructor(capacity: number) {
    this.#capacity = Math.max(1, capacity)
  }

  async push(item: T): Promise<void> {
    while (this.#items.length >= this.#capacity && !this.#closed) {
      await new Promise<void>((resolve) => this.#notFull.push(resolve))
    }
    this.#items.push(item)
    this.#wake()
  }

  /** No more items will come (the consumer drains what is queued). */
  close(): void {
    this.#closed = true
    this.#wake()
  }

  /** Waits for `max` items, or fewer once the channel is closed; empty means finished. */
  async take(max: number): Promise<T[]> {
    while (this.#items.length < max && !this.#closed) {
      await new Promise<void>((resolve) => (this.#notEmpty = resolve))
    }
    const out = this.#items.splice(0, max)
    const waiting = this.#notFull
    this.#notFull = []
    for (const w of waiting) w()
    return out
  }

  #wake(): void {
    const w = this.#notEmpty
    this.#notEmpty = undefined
    w?.()
  }
}
