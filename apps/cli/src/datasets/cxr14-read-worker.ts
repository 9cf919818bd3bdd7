// The worker thread of `import cxr14` into a new dataset: reads and checks the files and sends
// the rows in batches while the main thread writes them (cxr14-worker-reader.ts).
import { parentPort, workerData } from 'node:worker_threads'
import { sendableError, streamCxr14, type Cxr14StreamOptions } from '@cxr-audit/ingest'

const port = parentPort!
streamCxr14(workerData as Cxr14StreamOptions, (m, transfer) => port.postMessage(m, transfer)).then(
  () => port.close(),
  (e: unknown) => {
    port.postMessage({ kind: 'error', error: sendableError(e) })
    port.close()
  },
)
