import type { EventDto } from '../api.ts'

/** One mark waiting for the server's acknowledgement. */
export interface PendingEvent {
  readonly readerId: number
  readonly event: EventDto
}

export interface FailedEvent extends PendingEvent {
  readonly reason: string
}

export type OutboxState = 'saved' | 'saving' | 'retrying' | 'failed'

export interface OutboxSnapshot {
  readonly state: OutboxState
  readonly pending: number
  readonly failed: number
  readonly lastError: string | null
}

export type SendResult =
  | { readonly ok: true; readonly acknowledged: readonly string[] }
  | {
      readonly ok: false
      /** true: the server was unreachable or failed; the batch is sent again later. */
      readonly retry: boolean
      readonly message: string
      /** Events the server refused for good (a 400); the rest of the batch is resent. */
      readonly rejected?: readonly { clientEventId: string; reason: string }[]
    }

export interface OutboxDeps {
  readonly storage: Pick<Storage, 'getItem' | 'setItem'>
  readonly send: (readerId: number, events: readonly EventDto[]) => Promise<SendResult>
  /** Runs `fn` after `ms`; returns a cancel function (injected so tests need no clock). */
  readonly later: (fn: () => void, ms: number) => () => void
  readonly key?: string
  readonly maxBatch?: number
}

interface Stored {
  pending: PendingEvent[]
  failed: FailedEvent[]
}

/**
 * Every mark is safe [W16]: each event is written to local storage before anything else
 * happens, sent in batches, removed only when the server acknowledges it (after its commit),
 * and sent again, with backoff, while the server is unreachable. The stored queue survives a
 * reload; every change reads and rewrites the stored copy, so two tabs do not lose each other's
 * marks.
 */
export class Outbox {
  readonly #deps: OutboxDeps
  readonly #key: string
  readonly #listeners = new Set<() => void>()
  #inFlight = false
  #attempts = 0
  #cancelRetry: (() => void) | null = null
  #lastError: string | null = null
  #snapshot: OutboxSnapshot

  constructor(deps: OutboxDeps) {
    this.#deps = deps
    this.#key = deps.key ?? 'cxr-audit:outbox:v1'
    this.#snapshot = this.#makeSnapshot()
  }

  #read(): Stored {
    try {
      const raw = this.#deps.storage.getItem(this.#key)
      if (raw === null) return { pending: [], failed: [] }
      const s = JSON.parse(raw) as Partial<Stored>
      return { pending: s.pending ?? [], failed: s.failed ?? [] }
    } catch {
      return { pending: [], failed: [] }
    }
  }

  #write(s: Stored): void {
    this.#deps.storage.setItem(this.#key, JSON.stringify(s))
  }

  #makeSnapshot(): OutboxSnapshot {
    const s = this.#read()
    const state: OutboxState = this.#inFlight
      ? 'saving'
      : this.#cancelRetry !== null
        ? 'retrying'
        : s.pending.length > 0
          ? 'saving'
          : s.failed.length > 0
            ? 'failed'
            : 'saved'
    return { state, pending: s.pending.length, failed: s.failed.length, lastError: this.#lastError }
  }

  #notify(): void {
    this.#snapshot = this.#makeSnapshot()
    for (const l of this.#listeners) l()
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** The current state; the same object until something changes (for useSyncExternalStore). */
  snapshot = (): OutboxSnapshot => this.#snapshot

  pending(): PendingEvent[] {
    return this.#read().pending
  }

  failed(): FailedEvent[] {
    return this.#read().failed
  }

  /** Queues events (persisted at once) and sends them unless a retry is already waiting. */
  add(events: readonly PendingEvent[]): void {
    if (events.length === 0) return
    const s = this.#read()
    s.pending.push(...events)
    this.#write(s)
    this.#notify()
    if (this.#cancelRetry === null) void this.flush()
  }

  /** Sends now (e.g. the browser came back online), cancelling a waiting retry. */
  retryNow(): void {
    this.#cancelRetry?.()
    this.#cancelRetry = null
    void this.flush()
  }

  /** Rewrites the reader of queued events (the server was reset and gave the name a new id). */
  reassign(from: number, to: number): void {
    const s = this.#read()
    s.pending = s.pending.map((p) => (p.readerId === from ? { ...p, readerId: to } : p))
    this.#write(s)
  }

  /** Sends batches until the queue is empty or the server cannot be reached. */
  async flush(): Promise<void> {
    if (this.#inFlight) return
    const all = this.#read().pending
    if (all.length === 0) {
      this.#notify()
      return
    }
    const readerId = all[0]!.readerId
    const batch: EventDto[] = []
    for (const p of all) {
      if (p.readerId !== readerId || batch.length >= (this.#deps.maxBatch ?? 200)) break
      batch.push(p.event)
    }
    this.#inFlight = true
    this.#notify()
    let result: SendResult
    try {
      result = await this.#deps.send(readerId, batch)
    } catch (e) {
      result = { ok: false, retry: true, message: e instanceof Error ? e.message : String(e) }
    }
    this.#inFlight = false
    if (result.ok) {
      const answered = new Set(result.acknowledged)
      if (!batch.some((e) => answered.has(e.clientEventId)))
        result = { ok: false, retry: true, message: 'the server acknowledged none of the marks' }
    }
    if (result.ok) {
      const acked = new Set(result.acknowledged)
      const s = this.#read()
      s.pending = s.pending.filter((p) => !acked.has(p.event.clientEventId))
      this.#write(s)
      this.#attempts = 0
      this.#lastError = null
      this.#notify()
      return this.flush()
    }
    if (!result.retry) {
      const reasons = new Map(
        (result.rejected ?? batch.map((e) => ({ clientEventId: e.clientEventId, reason: '' }))).map(
          (r) => [r.clientEventId, r.reason || result.message],
        ),
      )
      const s = this.#read()
      const refused = s.pending.filter((p) => reasons.has(p.event.clientEventId))
      s.pending = s.pending.filter((p) => !reasons.has(p.event.clientEventId))
      s.failed.push(...refused.map((p) => ({ ...p, reason: reasons.get(p.event.clientEventId)! })))
      this.#write(s)
      this.#lastError = result.message
      this.#notify()
      return this.flush()
    }
    this.#attempts++
    this.#lastError = result.message
    const wait = Math.min(8000, 500 * 2 ** (this.#attempts - 1))
    this.#cancelRetry = this.#deps.later(() => {
      this.#cancelRetry = null
      void this.flush()
    }, wait)
    this.#notify()
  }
}
