import type { EventDto, SheetItemDto } from '../api.ts'

/**
 * The marks made in this browser, in order: the pending ones from the outbox (made before a
 * reload) and every one made since. Laid over a sheet fetched from the server, they show the
 * reader's latest marks even before the server has them. Events set absolute values, so laying
 * one over a sheet that already has it changes nothing.
 */
export class MarkLedger {
  readonly #events: EventDto[] = []

  constructor(initial: readonly EventDto[] = []) {
    this.#events.push(...initial)
  }

  record(events: readonly EventDto[]): void {
    this.#events.push(...events)
  }

  /** The items with this browser's marks laid over them. */
  overlay(auditId: number | null, items: readonly SheetItemDto[]): SheetItemDto[] {
    const byImage = new Map(items.map((it, i) => [it.imageId, i]))
    const out = items.map((it) => ({ ...it, tags: [...it.tags] }))
    for (const e of this.#events) {
      const i = byImage.get(e.imageId)
      if (i === undefined) continue
      const it = out[i]!
      if (e.kind === 'verdict') {
        if (e.auditId !== auditId || e.findingId !== it.findingId) continue
        out[i] = { ...it, verdict: e.verdict, implied: e.implied === true && e.verdict !== null }
      } else {
        const has = it.tags.includes(e.tag)
        if (e.on && !has) it.tags.push(e.tag)
        if (!e.on && has) it.tags.splice(it.tags.indexOf(e.tag), 1)
      }
    }
    return out
  }
}
