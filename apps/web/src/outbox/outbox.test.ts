import { describe, expect, it } from 'vitest'
import type { EventDto } from '../api.ts'
import { Outbox, type SendResult } from './outbox.ts'

/** localStorage's subset, in memory: a second Outbox on the same map is "after a reload". */
class MemoryStorage {
  readonly map = new Map<string, string>()
  getItem(k: string): string | null {
    return this.map.get(k) ?? null
  }
  setItem(k: string, v: string): void {
    this.map.set(k, v)
  }
}

const event = (n: number): EventDto => ({
  kind: 'verdict',
  clientEventId: `event-${String(n).padStart(4, '0')}`,
  auditId: 1,
  imageId: n,
  findingId: 2,
  verdict: 'absent',
})

function harness(answers: SendResult[]) {
  const storage = new MemoryStorage()
  const sent: string[][] = []
  const timers: { fn: () => void; ms: number }[] = []
  const outbox = new Outbox({
    storage,
    send: async (_reader, events) => {
      sent.push(events.map((e) => e.clientEventId))
      return answers.shift() ?? { ok: true, acknowledged: events.map((e) => e.clientEventId) }
    },
    later: (fn, ms) => {
      timers.push({ fn, ms })
      return () => undefined
    },
  })
  return { storage, sent, timers, outbox }
}

const settle = () => new Promise((r) => setTimeout(r, 0))

describe('the outbox', () => {
  it('[W16] a mark is in local storage before it is sent, and leaves it only when acknowledged', async () => {
    const h = harness([{ ok: true, acknowledged: [] }])
    h.outbox.add([{ readerId: 7, event: event(1) }])
    expect(h.storage.map.get('cxr-audit:outbox:v1')).toContain('event-0001')
    await settle()
    // acknowledged nothing: still pending, sent again later
    expect(h.sent[0]).toEqual(['event-0001'])
    expect(h.outbox.snapshot()).toMatchObject({ state: 'retrying', pending: 1 })
    h.timers.shift()!.fn()
    await settle()
    expect(h.sent).toHaveLength(2)
    expect(h.outbox.pending()).toEqual([])
    expect(h.outbox.snapshot().state).toBe('saved')
  })

  it('[W16] while the server is unreachable marks wait, survive a reload and are retried with backoff', async () => {
    const down: SendResult = { ok: false, retry: true, message: 'Failed to fetch' }
    const h = harness([down, down])
    h.outbox.add([{ readerId: 7, event: event(1) }])
    await settle()
    expect(h.outbox.snapshot()).toMatchObject({ state: 'retrying', pending: 1 })
    h.outbox.add([{ readerId: 7, event: event(2) }]) // made while offline: queued, not sent yet
    expect(h.sent).toHaveLength(1)
    h.timers.shift()!.fn()
    await settle()
    expect(h.timers.map((t) => t.ms)).toEqual([1000])
    // reload: a new outbox on the same storage sees both marks and sends them in one batch
    const again = new Outbox({
      storage: h.storage,
      send: async (_r, events) => ({ ok: true, acknowledged: events.map((e) => e.clientEventId) }),
      later: () => () => undefined,
    })
    expect(again.pending().map((p) => p.event.clientEventId)).toEqual(['event-0001', 'event-0002'])
    await again.flush()
    expect(again.snapshot().state).toBe('saved')
  })

  it('[W15] events the server refuses for good are set aside, the rest is saved', async () => {
    const h = harness([
      {
        ok: false,
        retry: false,
        message: 'refused',
        rejected: [{ clientEventId: 'event-0002', reason: 'not in audit' }],
      },
    ])
    h.outbox.add([1, 2, 3].map((n) => ({ readerId: 7, event: event(n) })))
    await settle()
    await settle()
    expect(h.sent).toEqual([
      ['event-0001', 'event-0002', 'event-0003'],
      ['event-0001', 'event-0003'],
    ])
    expect(h.outbox.failed()).toMatchObject([{ reason: 'not in audit' }])
    expect(h.outbox.snapshot()).toMatchObject({ state: 'failed', pending: 0, failed: 1 })
  })

  it('[W16] batches hold one reader and at most 200 events', async () => {
    const h = harness([])
    const events = Array.from({ length: 250 }, (_, i) => ({
      readerId: i < 230 ? 1 : 2,
      event: event(i),
    }))
    h.outbox.add(events)
    for (let i = 0; i < 5; i++) await settle()
    expect(h.sent.map((b) => b.length)).toEqual([200, 30, 20])
  })
})
