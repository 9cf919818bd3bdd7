/**
 * Messages from a producer (a worker thread, or a reader in this thread) taken one at a time
 * by an async consumer. A failure is given to the consumer before any message still queued:
 * the work those messages would cause is thrown away anyway. An end (the producer is gone) comes
 * after them: what it sent before it went is still read.
 */
export class MessageQueue<T> {
  readonly #items: T[] = []
  #head = 0
  #waiting: { resolve: (m: T) => void; reject: (e: unknown) => void } | null = null
  #failure: { error: unknown } | null = null
  /** Given once the queued messages are taken. */
  #end: { error: unknown } | null = null

  push(m: T): void {
    const w = this.#waiting
    if (w !== null) {
      this.#waiting = null
      w.resolve(m)
    } else this.#items.push(m)
  }

  fail(error: unknown): void {
    this.#failure ??= { error }
    this.#reject(this.#failure.error)
  }

  /** No message comes after those queued: the next `next()` after them throws `error`. */
  end(error: unknown): void {
    this.#end ??= { error }
    // a consumer already waiting has taken every queued message
    this.#reject(this.#end.error)
  }

  next(): Promise<T> {
    if (this.#failure !== null) return Promise.reject(this.#failure.error)
    if (this.#head < this.#items.length) {
      const m = this.#items[this.#head]!
      this.#items[this.#head++] = undefined as T
      return Promise.resolve(m)
    }
    if (this.#end !== null) return Promise.reject(this.#end.error)
    return new Promise((resolve, reject) => (this.#waiting = { resolve, reject }))
  }

  #reject(error: unknown): void {
    const w = this.#waiting
    if (w !== null) {
      this.#waiting = null
      w.reject(error)
    }
  }
}
