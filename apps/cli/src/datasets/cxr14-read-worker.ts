// The worker thread of `import cxr14` into a new dataset: reads and checks the files and sends
// the rows in batches while the main thread writes them (cxr14-worker-reader.ts).
import { parentPort, workerData } from 'node:worker_threads'
import { sendableError, streamCxr14, type Cxr14StreamOptions } from '@cxr-audit/ingest'
import { runReadingThread } from './worker-reader.ts'

runReadingThread(streamCxr14, sendableError, parentPort!, workerData as Cxr14StreamOptions)
