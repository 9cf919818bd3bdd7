import type { ChexpertMessage, ChexpertSource, ChexpertStreamOptions } from '@cxr-audit/ingest'
import { readInWorkerThread } from './worker-reader.ts'

/**
 * `import chexpert`'s reader for one file: read and checked in a worker thread while this
 * thread writes the rows already read (docs/decisions/048).
 */
export function readChexpertInWorker(o: ChexpertStreamOptions): ChexpertSource {
  return readInWorkerThread<ChexpertMessage>(
    'chexpert-read-worker',
    new URL('./chexpert-read-worker.ts', import.meta.url),
    o,
  )
}
