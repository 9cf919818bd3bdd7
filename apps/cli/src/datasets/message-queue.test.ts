import { describe, expect, it } from 'vitest'
import { MessageQueue } from './message-queue.ts'

describe('the message queue of a reading thread', () => {
  it('gives a failure before the messages still queued', async () => {
    const q = new MessageQueue<number>()
    q.push(1)
    q.push(2)
    q.fail(new Error('bad row'))
    await expect(q.next()).rejects.toThrow('bad row')
  })

  it('gives an end after the messages still queued, and to a consumer already waiting', async () => {
    const q = new MessageQueue<number>()
    q.push(1)
    q.end(new Error('gone'))
    expect(await q.next()).toBe(1)
    await expect(q.next()).rejects.toThrow('gone')
    const r = new MessageQueue<number>()
    const waiting = r.next()
    r.end(new Error('gone'))
    await expect(waiting).rejects.toThrow('gone')
  })

  it('hands messages to a waiting consumer in order', async () => {
    const q = new MessageQueue<string>()
    const first = q.next()
    q.push('a')
    q.push('b')
    expect(await first).toBe('a')
    expect(await q.next()).toBe('b')
  })
})
