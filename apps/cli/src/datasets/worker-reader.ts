import type { MessagePort, Worker } from 'node:worker_threads'
import type { SentError, StreamSource } from '@cxr-audit/ingest'
import { startWorker } from '../worker-start.ts'
import { MessageQueue } from './message-queue.ts'

/**
 * A streamed import's reader in a worker thread (docs/decisions/047, 048): the thread reads and
 * checks the files and posts messages, the last of kind `summary`, while this thread writes.
 * This module loads nothing of the import's own code, so that the thread starts first; the
 * thread's errors arrive as plain data (SentError), made into their classes by the import.
 */
export function readInWorkerThread<M extends { readonly kind: string }>(
  entry: string,
  source: URL,
  workerData: unknown,
): StreamSource<M> {
  const queue = new MessageQueue<M>()
  const worker: Worker = startWorker(entry, source, workerData)
  let failure: unknown = null
  let ended = false
  const done = new Promise<unknown>((resolve) => {
    worker.on('message', (m: M | { kind: 'error'; error: SentError }) => {
      if (m.kind === 'error') {
        failure ??= (m as { error: SentError }).error
        queue.fail(failure)
        return
      }
      if (m.kind === 'summary') ended = true
      queue.push(m as M)
    })
    worker.on('error', (e) => {
      failure ??= e
      queue.fail(e)
    })
    worker.on('exit', () => {
      if (failure === null && !ended) {
        // what it sent before is read first: a study-keyed CheXpert file ends after its start,
        // and the thread may be gone before the import takes that start
        failure = new Error('the reading thread stopped before the end of the files')
        queue.end(failure)
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

/** The body of a reading thread: runs the read, posts its messages, then its error if any. */
export function runReadingThread<O, M>(
  read: (o: O, send: (m: M, transfer?: ArrayBuffer[]) => void) => Promise<void>,
  sendable: (e: unknown) => SentError,
  port: MessagePort,
  o: O,
): void {
  read(o, (m, transfer) => port.postMessage(m, transfer)).then(
    () => port.close(),
    (e: unknown) => {
      port.postMessage({ kind: 'error', error: sendable(e) })
      port.close()
    },
  )
}
