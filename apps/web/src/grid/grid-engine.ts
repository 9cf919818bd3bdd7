import {
  UNUSABLE_TAG,
  finishPage,
  moveCursor,
  verdictForKey,
  type Verdict,
  type MarkKey,
} from '@cxr-audit/core'
import type { EventDto, ReaderDto, SheetDto, SheetItemDto, SheetRefDto } from '../api.ts'
import type { MarkLedger } from '../outbox/ledger.ts'
import type { Outbox } from '../outbox/outbox.ts'
import { commandForKey, type GridCommand, type KeyInput } from './keys.ts'

export interface GridState {
  readonly sheet: SheetDto | null
  /** The sheet's items with this browser's marks laid over them. */
  readonly items: readonly SheetItemDto[]
  readonly cursor: number
  readonly columns: number
  /** Index of the item open in the viewer, or null. */
  readonly viewer: number | null
  readonly message: string | null
  /** Items the page-finish rule found unmarked (blinded). */
  readonly missing: readonly number[]
  readonly help: boolean
}

export interface GridDeps {
  readonly reader: ReaderDto
  readonly outbox: Outbox
  readonly ledger: MarkLedger
  /** Go to another sheet; null after the last sheet (the audit is done). */
  readonly navigate: (ref: SheetRefDto | null, direction: 'next' | 'previous') => void
  readonly newId: () => string
}

interface UndoStep {
  readonly undo: EventDto[]
  readonly cursor: number
}

/**
 * The contact sheet's engine, plain TypeScript with no React [W14]: the cursor, the keys, the
 * marks (written to the outbox first, then shown), undo (a new event restoring the previous
 * value), the page-finish rule and paging. React only renders its state.
 */
export class GridEngine {
  readonly #deps: GridDeps
  readonly #listeners = new Set<() => void>()
  readonly #undo: UndoStep[] = []
  #state: GridState = {
    sheet: null,
    items: [],
    cursor: 0,
    columns: 6,
    viewer: null,
    message: null,
    missing: [],
    help: false,
  }

  constructor(deps: GridDeps) {
    this.#deps = deps
  }

  subscribe = (fn: () => void): (() => void) => {
    this.#listeners.add(fn)
    return () => this.#listeners.delete(fn)
  }

  getState = (): GridState => this.#state

  #set(patch: Partial<GridState>): void {
    this.#state = { ...this.#state, ...patch }
    for (const l of this.#listeners) l()
  }

  #auditId(): number | null {
    return this.#state.sheet?.audit?.id ?? null
  }

  #blinded(): boolean {
    return this.#state.sheet?.audit?.blinded ?? false
  }

  /** Shows a sheet; the cursor goes to the first tile, or the last when paging back. */
  load(sheet: SheetDto, cursor: 'first' | 'last' | number = 'first'): void {
    const items = this.#deps.ledger.overlay(sheet.audit?.id ?? null, sheet.items)
    const at = cursor === 'first' ? 0 : cursor === 'last' ? Math.max(0, items.length - 1) : cursor
    this.#undo.length = 0
    this.#set({ sheet, items, cursor: at, viewer: null, message: null, missing: [] })
  }

  setColumns(columns: number): void {
    if (columns !== this.#state.columns) this.#set({ columns })
  }

  /** Handles a key; returns false when the key means nothing here. */
  key(e: KeyInput): boolean {
    const c = commandForKey(e)
    if (c === null) return false
    this.run(c)
    return true
  }

  run(c: GridCommand): void {
    const s = this.#state
    const at = s.viewer ?? s.cursor
    switch (c.kind) {
      case 'move': {
        const next = moveCursor(at, c.direction, s.viewer === null ? s.columns : 1, s.items.length)
        if (s.viewer !== null) this.#set({ viewer: next, cursor: next })
        else this.#set({ cursor: next, message: null })
        return
      }
      case 'mark':
        return this.mark(at, c.key)
      case 'tag':
        return this.toggleTag(at, c.index)
      case 'unusable':
        return this.toggleTagName(at, UNUSABLE_TAG)
      case 'undo':
        return this.undo()
      case 'open':
        return s.viewer === null ? this.open(at) : this.close()
      case 'close':
        if (s.help) return this.#set({ help: false })
        return this.close()
      case 'next-page':
        return this.nextPage()
      case 'previous-page':
        return this.#deps.navigate(s.sheet?.previous ?? null, 'previous')
      case 'help':
        return this.#set({ help: !s.help })
    }
  }

  focus(index: number): void {
    if (index >= 0 && index < this.#state.items.length) this.#set({ cursor: index, message: null })
  }

  open(index: number): void {
    if (index >= 0 && index < this.#state.items.length) this.#set({ viewer: index, cursor: index })
  }

  close(): void {
    if (this.#state.viewer !== null) this.#set({ viewer: null })
  }

  /** `x`, `d` or `c` on an item; the same mark again withdraws it (unmarked) [W12]. */
  mark(index: number, key: MarkKey): void {
    const s = this.#state
    const it = s.items[index]
    const auditId = this.#auditId()
    if (it === undefined) return
    if (auditId === null || it.findingId === null) {
      this.#set({ message: 'No finding on this sheet: use the tags (1-9) or u (unusable).' })
      return
    }
    const labelled = this.#blinded() ? null : (it.labelled ?? null)
    const wanted: Verdict = verdictForKey(key, labelled)
    const verdict = it.verdict === wanted && !it.implied ? null : wanted
    this.#apply(
      index,
      [this.#verdictEvent(it, verdict, false)],
      [this.#verdictEvent(it, it.verdict, it.implied)],
    )
  }

  toggleTag(index: number, tagIndex: number): void {
    const tag = this.#state.sheet?.tags[tagIndex]
    if (tag !== undefined) this.toggleTagName(index, tag)
  }

  toggleTagName(index: number, tag: string): void {
    const it = this.#state.items[index]
    if (it === undefined) return
    const on = !it.tags.includes(tag)
    const event = (value: boolean): EventDto => ({
      kind: 'tag',
      clientEventId: this.#deps.newId(),
      auditId: this.#auditId(),
      imageId: it.imageId,
      tag,
      on: value,
    })
    this.#apply(index, [event(on)], [event(!on)])
  }

  #verdictEvent(it: SheetItemDto, verdict: Verdict | null, implied: boolean): EventDto {
    return {
      kind: 'verdict',
      clientEventId: this.#deps.newId(),
      auditId: this.#auditId()!,
      imageId: it.imageId,
      findingId: it.findingId!,
      verdict,
      ...(implied && verdict !== null ? { implied: true } : {}),
    }
  }

  /** Records events (outbox first: they are safe before they are shown) and updates the tiles. */
  #record(events: EventDto[]): void {
    this.#deps.outbox.add(events.map((event) => ({ readerId: this.#deps.reader.id, event })))
    this.#deps.ledger.record(events)
    const s = this.#state
    if (s.sheet !== null)
      this.#set({ items: this.#deps.ledger.overlay(this.#auditId(), s.sheet.items) })
  }

  #apply(index: number, events: EventDto[], undo: EventDto[]): void {
    this.#record(events)
    this.#undo.push({ undo, cursor: index })
    const missing = this.#state.missing.filter((m) => m !== index)
    this.#set({ message: null, missing })
  }

  /** Undo writes new events that restore the previous values; nothing is deleted [W16]. */
  undo(): void {
    const step = this.#undo.pop()
    if (step === undefined) {
      this.#set({ message: 'Nothing to undo on this sheet.' })
      return
    }
    this.#record(step.undo.map((e) => ({ ...e, clientEventId: this.#deps.newId() })))
    this.#set({ cursor: step.cursor, message: 'Undone.' })
  }

  /**
   * PageDown finishes the page [W13]: unblinded, unmarked images confirm their label (stored as
   * implied verdicts); blinded, the page is not left while an image lacks a verdict.
   */
  nextPage(): void {
    const s = this.#state
    if (s.sheet === null) return
    if (s.sheet.kind === 'audit') {
      const blinded = this.#blinded()
      const f = finishPage(
        s.items.map((it) => ({
          imageId: it.imageId,
          findingId: it.findingId ?? 0,
          labelled: blinded ? null : (it.labelled ?? null),
          verdict: it.verdict,
          unusable: it.tags.includes(UNUSABLE_TAG),
        })),
        blinded,
      )
      if (f.missing.length > 0) {
        const n = f.missing.length
        this.#set({
          missing: f.missing,
          cursor: f.missing[0]!,
          message: `${n} image${n === 1 ? '' : 's'} still need${n === 1 ? 's' : ''} a verdict: in a blinded audit nothing is implied.`,
        })
        return
      }
      if (f.implied.length > 0)
        this.#record(
          f.implied.map((v) => ({
            kind: 'verdict',
            clientEventId: this.#deps.newId(),
            auditId: this.#auditId()!,
            imageId: v.imageId,
            findingId: v.findingId,
            verdict: v.verdict,
            implied: true,
          })),
        )
    }
    this.#deps.navigate(s.sheet.next, 'next')
  }
}
