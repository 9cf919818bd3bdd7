import type { ReadingEventDto } from './api.ts'

type Send = (readerId: number, events: readonly ReadingEventDto[]) => Promise<unknown>
type Later = (fn: () => void, ms: number) => void

/** Events kept while the server is unreachable; older ones are dropped beyond this. */
const KEEP = 2000

/**
 * The reading-condition events of this tab [W35]: a page shown, a film opened in the viewer, a
 * preset applied. Sent in small batches shortly after they happen and again while the server
 * is unreachable; kept in memory only (decision 035: these are facts about reading, not
 * verdicts, and a lost one can only make the viewer share look lower).
 */
export class ReadingLog {
  readonly #send: Send
  readonly #later: Later
  #queue: { readerId: number; event: ReadingEventDto }[] = []
  #scheduled = false
  #sending = false

  constructor(send: Send, later: Later = (fn, ms) => void setTimeout(fn, ms)) {
    this.#send = send
    this.#later = later
  }

  add(readerId: number, event: ReadingEventDto): void {
    this.#queue.push({ readerId, event })
    if (this.#queue.length > KEEP) this.#queue.splice(0, this.#queue.length - KEEP)
    this.#schedule(300)
  }

  /** Events not acknowledged yet. */
  get pending(): number {
    return this.#queue.length
  }

  #schedule(ms: number): void {
    if (this.#scheduled) return
    this.#scheduled = true
    this.#later(() => {
      this.#scheduled = false
      void this.#flush()
    }, ms)
  }

  async #flush(): Promise<void> {
    if (this.#sending || this.#queue.length === 0) return
    this.#sending = true
    const readerId = this.#queue[0]!.readerId
    const batch = this.#queue.filter((q) => q.readerId === readerId).slice(0, 200)
    const done = (): void => {
      const sent = new Set(batch.map((q) => q.event.clientEventId))
      this.#queue = this.#queue.filter((q) => !sent.has(q.event.clientEventId))
    }
    try {
      await this.#send(
        readerId,
        batch.map((q) => q.event),
      )
      done()
    } catch (e) {
      // refused for good (a 400 or 403 would be refused again): dropped; unreachable: later
      const status = (e as { status?: unknown }).status
      if (typeof status === 'number' && status >= 400 && status < 500 && status !== 429) done()
      else {
        this.#sending = false
        this.#schedule(5000)
        return
      }
    }
    this.#sending = false
    if (this.#queue.length > 0) this.#schedule(0)
  }
}
