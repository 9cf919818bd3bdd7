import type { Cxr14Message, Cxr14Source, Cxr14StreamOptions } from '@cxr-audit/ingest'
import { readInWorkerThread } from './worker-reader.ts'

/**
 * `import cxr14`'s reader: the files are read and checked in a worker thread while this thread
 * writes the rows already read (docs/decisions/047), so the two halves share the two cores.
 */
export function readInWorker(o: Cxr14StreamOptions): Cxr14Source {
  return readInWorkerThread<Cxr14Message>(
    'cxr14-read-worker',
    new URL('./cxr14-read-worker.ts', import.meta.url),
    o,
  )
}
