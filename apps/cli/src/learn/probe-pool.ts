import type { Worker } from 'node:worker_threads'
import {
  combineFolds,
  crossValidateLogistic,
  type CrossValidationOptions,
  type CrossValidationResult,
  type FeatureMatrix,
  type FoldFit,
} from '@cxr-audit/core'
import type { ProbeWorkerData, SharedFactor, ToWorker } from './probe-worker.ts'
import { startWorker } from '../worker-start.ts'

/** A probe worker thread (compiled, or the source through tsx). */
function spawnWorker(workerData: ProbeWorkerData): Worker {
  return startWorker('probe-worker', new URL('./probe-worker.ts', import.meta.url), workerData)
}

/** The matrix in a SharedArrayBuffer, so that every worker reads the same memory. */
function shared(data: Float32Array): Float32Array {
  if (data.buffer instanceof SharedArrayBuffer) return data
  const copy = new Float32Array(new SharedArrayBuffer(data.byteLength))
  copy.set(data)
  return copy
}

/**
 * `crossValidateLogistic` with its folds fitted on `workers` threads [PR5]. Every worker makes
 * the same solver and preconditioner as one thread would and fits whole folds, handed out as
 * workers become free; the result is identical to the single-thread run (tested), whatever
 * the order the folds finish in. One worker, or Float64Array features, run in this thread.
 */
export async function crossValidateOnWorkers(
  x: FeatureMatrix,
  labels: Uint8Array,
  folds: Int32Array,
  o: CrossValidationOptions,
  workers: number,
): Promise<CrossValidationResult & { readonly workers: number }> {
  let k = 0
  for (const f of folds) k = Math.max(k, f + 1)
  const threads = Math.min(workers, k)
  if (threads <= 1 || !(x.data instanceof Float32Array)) {
    return { ...crossValidateLogistic(x, labels, folds, o), workers: 1 }
  }
  const data: Omit<ProbeWorkerData, 'build'> = {
    data: shared(x.data),
    rows: x.rows,
    cols: x.cols,
    labels,
    folds,
    options: o,
  }
  // the first worker builds the preconditioner once; the others receive its factor
  const pool = Array.from({ length: threads }, (_, i) => spawnWorker({ ...data, build: i === 0 }))
  const fits: FoldFit[] = []
  try {
    await new Promise<void>((resolve, reject) => {
      let next = 0
      const send = (w: Worker, m: ToWorker): void => w.postMessage(m)
      const give = (w: Worker): void => {
        if (next < k) send(w, next++)
        else if (fits.length === k) resolve()
      }
      for (const [i, w] of pool.entries()) {
        w.on(
          'message',
          (m: { ready: true; factor: SharedFactor } | { fold: number; fit: FoldFit }) => {
            if ('fit' in m) fits.push(m.fit)
            else if (i === 0) for (const other of pool.slice(1)) send(other, { factor: m.factor })
            give(w)
          },
        )
        w.on('error', reject)
        w.on('exit', (code) => {
          if (fits.length < k) reject(new Error(`a probe worker stopped (exit code ${code})`))
        })
      }
    })
  } finally {
    await Promise.all(pool.map((w) => w.terminate()))
  }
  const used = Int32Array.from(
    folds.reduce<number[]>((a, f, i) => (f >= 0 ? (a.push(i), a) : a), []),
  )
  return { ...combineFolds(x.rows, labels, used, fits), workers: threads }
}
