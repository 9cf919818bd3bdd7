// The worker thread of `import chexpert` of one file into a new dataset: reads and checks the
// file and sends the rows in batches while the main thread writes them
// (chexpert-worker-reader.ts).
import { parentPort, workerData } from 'node:worker_threads'
import { sendableError, streamChexpert, type ChexpertStreamOptions } from '@cxr-audit/ingest'
import { runReadingThread } from './worker-reader.ts'

runReadingThread(streamChexpert, sendableError, parentPort!, workerData as ChexpertStreamOptions)
