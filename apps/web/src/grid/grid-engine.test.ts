import { describe, expect, it } from 'vitest'
import type { EventDto, SheetDto, SheetItemDto } from '../api.ts'
import { MarkLedger } from '../outbox/ledger.ts'
import { Outbox } from '../outbox/outbox.ts'
import { GridEngine } from './grid-engine.ts'

const item = (i: number, labelled: number | undefined): SheetItemDto => ({
  position: i,
  imageId: 100 + i,
  findingId: 5,
  name: `0000000${i}_000.png`,
  age: 50,
  sex: 'F',
  view: 'PA',
  split: null,
  onDisk: true,
  unreadable: null,
  ...(labelled === undefined ? {} : { labelled, boxes: [] }),
  verdict: null,
  implied: false,
  tags: [],
})

function sheet(blinded: boolean): SheetDto {
  return {
    kind: 'audit',
    audit: { id: 3, name: 'a', blinded },
    dataset: { id: 1, name: 'd' },
    finding: { findingId: 5, name: 'Effusion' },
    problem: null,
    tags: ['chest drain', 'rotated'],
    page: 0,
    pages: 2,
    pageSize: 18,
    total: 20,
    items: [0, 1, 2, 3].map((i) => item(i, blinded ? undefined : i < 2 ? 1 : 0)),
    next: { findingId: 5, page: 1 },
    previous: null,
  }
}

function setup(blinded = false) {
  const sent: EventDto[] = []
  const storage = new Map<string, string>()
  const outbox = new Outbox({
    storage: { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => void storage.set(k, v) },
    send: async (_r, events) => {
      sent.push(...events)
      return { ok: true, acknowledged: events.map((e) => e.clientEventId) }
    },
    later: () => () => undefined,
  })
  let n = 0
  const went: unknown[] = []
  const engine = new GridEngine({
    reader: { id: 1, name: 'r' },
    outbox,
    ledger: new MarkLedger(),
    newId: () => `id-${String(++n).padStart(6, '0')}`,
    navigate: (ref) => went.push(ref),
  })
  engine.load(sheet(blinded))
  engine.setColumns(2)
  const key = (k: string) => engine.key({ key: k, ctrlKey: false, metaKey: false, altKey: false })
  return { engine, sent, went, key, outbox }
}

describe('the grid engine', () => {
  it('[W12][W14] x marks the label wrong, d doubtful, c confirms; the same key again withdraws', () => {
    const { engine, key } = setup()
    key('x')
    expect(engine.getState().items[0]!.verdict).toBe('absent')
    key('l')
    key('d')
    key('j') // down one row of two: item 3, a labelled negative
    key('x')
    expect(engine.getState().items.map((i) => i.verdict)).toEqual([
      'absent',
      'uncertain',
      null,
      'present',
    ])
    key('x')
    expect(engine.getState().items[3]!.verdict).toBeNull()
  })

  it('[W14] 1-9 toggle the audit tags and u the unusable tag', () => {
    const { engine, key } = setup()
    key('2')
    key('1')
    key('u')
    expect(engine.getState().items[0]!.tags).toEqual(['rotated', 'chest drain', 'image unusable'])
    key('2')
    expect(engine.getState().items[0]!.tags).toEqual(['chest drain', 'image unusable'])
    expect(key('9')).toBe(true) // no ninth tag: nothing happens
    expect(engine.getState().items[0]!.tags).toHaveLength(2)
  })

  it('[W16] undo writes a new event restoring the previous value', async () => {
    const { engine, key, sent, outbox } = setup()
    key('x')
    key('z')
    await outbox.flush()
    expect(engine.getState().items[0]!.verdict).toBeNull()
    expect(sent.map((e) => (e.kind === 'verdict' ? e.verdict : e.on))).toEqual(['absent', null])
    expect(new Set(sent.map((e) => e.clientEventId)).size).toBe(2)
  })

  it('[W13] PageDown finishes the page: unmarked items confirm their label, marked ones stay', async () => {
    const { key, sent, went, outbox } = setup()
    key('x') // item 0 labelled positive: absent
    key('PageDown')
    await outbox.flush()
    const implied = sent.filter((e) => e.kind === 'verdict' && e.implied === true)
    expect(implied.map((e) => [e.imageId, e.kind === 'verdict' ? e.verdict : null])).toEqual([
      [101, 'present'],
      [102, 'absent'],
      [103, 'absent'],
    ])
    expect(went).toEqual([{ findingId: 5, page: 1 }])
  })

  it('[W13] blinded: the page is not left while an image lacks a verdict', () => {
    const { engine, key, went } = setup(true)
    key('x')
    key('PageDown')
    expect(went).toEqual([])
    expect(engine.getState().missing).toEqual([1, 2, 3])
    expect(engine.getState().cursor).toBe(1)
    expect(engine.getState().message).toMatch(/3 images still need a verdict/)
    for (const k of ['c', 'l', 'd', 'l', 'x']) key(k)
    key('PageDown')
    expect(went).toHaveLength(1)
  })

  it('[W21] Enter opens the viewer on the cursor; arrows then step through the images', () => {
    const { engine, key } = setup()
    key('l')
    key('Enter')
    expect(engine.getState().viewer).toBe(1)
    key('ArrowRight')
    key('c')
    expect(engine.getState().viewer).toBe(2)
    expect(engine.getState().items[2]!.verdict).toBe('absent') // c confirms a labelled negative
    key('Escape')
    expect(engine.getState().viewer).toBeNull()
  })
})
