import { describe, expect, it } from 'vitest'
import type { ReadingEventDto } from './api.ts'
import { ReadingLog } from './reading-log.ts'

const viewer = (n: number): ReadingEventDto => ({
  kind: 'viewer',
  clientEventId: `view-${String(n).padStart(4, '0')}`,
  auditId: 1,
  imageId: n,
})

/** A log whose timers run when the test says and whose server answers as told. */
function harness(answers: (() => void)[]) {
  const sent: string[][] = []
  const timers: (() => void)[] = []
  const log = new ReadingLog(
    (_readerId, events) => {
      sent.push(events.map((e) => e.clientEventId))
      const answer = answers.shift() ?? (() => undefined)
      return Promise.resolve().then(answer)
    },
    (fn) => void timers.push(fn),
  )
  const tick = async (): Promise<void> => {
    const due = timers.splice(0)
    for (const fn of due) fn()
    for (let i = 0; i < 5; i++) await Promise.resolve()
  }
  return { log, sent, tick }
}

describe('[W35] the reading log of the web app', () => {
  it('sends events in one batch shortly after they happen, and forgets them once stored', async () => {
    const h = harness([])
    h.log.add(7, viewer(1))
    h.log.add(7, viewer(2))
    expect(h.sent).toEqual([])
    await h.tick()
    expect(h.sent).toEqual([['view-0001', 'view-0002']])
    expect(h.log.pending).toBe(0)
  })

  it('sends again while the server is unreachable; drops a batch the server refuses', async () => {
    const unreachable = (): void => {
      throw new TypeError('Failed to fetch')
    }
    const refused = (): void => {
      throw Object.assign(new Error('audit 1 is not assigned to you'), { status: 403 })
    }
    const h = harness([unreachable, refused])
    h.log.add(7, viewer(1))
    await h.tick()
    expect(h.log.pending).toBe(1)
    await h.tick() // the retry: refused for good
    expect(h.sent).toEqual([['view-0001'], ['view-0001']])
    expect(h.log.pending).toBe(0)
  })
})
