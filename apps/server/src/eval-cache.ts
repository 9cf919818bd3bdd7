import type { Store } from '@cxr-audit/store'

/**
 * Remembers the last few model evaluations (about a second each on 22,433 images), keyed by
 * the request and a stamp of everything an evaluation reads: the model's predictions (its
 * source record changes on a replacing import), the dataset's import, the findings, and the
 * newest verdict and tag events. Any new mark or import gives a new stamp, so an answer is
 * never stale.
 */
export class EvalCache<T> {
  readonly #entries = new Map<string, Promise<T>>()

  constructor(
    readonly store: Store,
    readonly size = 16,
  ) {}

  async stamp(modelId: number): Promise<string> {
    const db = this.store.db
    const model = await db
      .selectFrom('model')
      .innerJoin('dataset', 'dataset.id', 'model.dataset_id')
      .select([
        'model.source',
        'model.created_at',
        'dataset.imported_at',
        'dataset.id as datasetId',
      ])
      .where('model.id', '=', modelId)
      .executeTakeFirst()
    if (model === undefined) return `missing:${modelId}`
    const findings = await db
      .selectFrom('finding')
      .select(['name', 'derived_from'])
      .where('dataset_id', '=', model.datasetId)
      .orderBy('id')
      .execute()
    const verdicts = await db
      .selectFrom('verdict_event')
      .select((e) => e.fn.max('id').as('last'))
      .executeTakeFirstOrThrow()
    const tags = await db
      .selectFrom('tag_event')
      .select((e) => e.fn.max('id').as('last'))
      .executeTakeFirstOrThrow()
    return JSON.stringify([model, findings, verdicts.last, tags.last])
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
