import type { Worker } from 'node:worker_threads'
import type { Cxr14Message, Cxr14Source, Cxr14StreamOptions, SentError } from '@cxr-audit/ingest'
import { startWorker } from '../worker-start.ts'
import { MessageQueue } from './message-queue.ts'

/**
 * `import cxr14`'s reader: the files are read and checked in a worker thread while this thread
 * writes the rows already read (docs/decisions/047), so the two halves share the two cores.
 * This module loads nothing of the import's own code, so that the thread starts first; the
 * thread's errors arrive as plain data (SentError), made into their classes by the import.
 */
export function readInWorker(o: Cxr14StreamOptions): Cxr14Source {
  const queue = new MessageQueue<Cxr14Message>()
  const worker: Worker = startWorker(
    'cxr14-read-worker',
    new URL('./cxr14-read-worker.ts', import.meta.url),
    o,
  )
  let failure: unknown = null
  let ended = false
  const done = new Promise<unknown>((resolve) => {
    worker.on('message', (m: Cxr14Message | { kind: 'error'; error: SentError }) => {
      if (m.kind === 'error') {
        failure ??= m.error
        queue.fail(failure)
        return
      }
      if (m.kind === 'summary') ended = true
      queue.push(m)
    })
    worker.on('error', (e) => {
      failure ??= e
      queue.fail(e)
    })
    worker.on('exit', () => {
      if (failure === null && !ended) {
        failure = new Error('the reading thread stopped before the end of the files')
        queue.fail(failure)
      }
      resolve(failure)
    })
  })
  return {
    next: () => queue.next(),
    outcome: () => done,
    stop: () => {
      // a read stopped on purpose is no failure
      ended = true
      void worker.terminate()
    },
  }
}
