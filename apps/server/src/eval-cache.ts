import { modelEvalStamp, type Store } from '@cxr-audit/store'

/**
 * Remembers the last few model evaluations (about a second each on 22,433 images), keyed by
 * the request and the store's `modelEvalStamp` of everything an evaluation reads. Any new mark
 * or import gives a new stamp, so an answer is never stale.
 */
export class EvalCache<T> {
  readonly #entries = new Map<string, Promise<T>>()

  constructor(
    readonly store: Store,
    readonly size = 16,
  ) {}

  stamp(modelId: number): Promise<string> {
    return modelEvalStamp(this.store.db, modelId)
  }

  /** The cached answer for this request and stamp, or `compute()` remembered. */
  async get(modelId: number, request: unknown, compute: () => Promise<T>): Promise<T> {
    const key = `${modelId}:${JSON.stringify(request)}:${await this.stamp(modelId)}`
    const known = this.#entries.get(key)
    if (known !== undefined) {
      // most recently used last
      this.#entries.delete(key)
      this.#entries.set(key, known)
      return known
    }
    const fresh = compute()
    this.#entries.set(key, fresh)
    fresh.catch(() => this.#entries.delete(key))
    while (this.#entries.size > this.size) this.#entries.delete(this.#entries.keys().next().value!)
    return fresh
  }
}
