// A worker thread of `cxr-audit probe` [PR5]. The first worker prepares the cross-validation
// (the same solver and preconditioner as a single-thread run) and hands the preconditioner's
// factor back; the others prepare with that factor instead of building it again. Each then fits
// the folds the main thread sends, one at a time. The matrix comes in a SharedArrayBuffer.
import { parentPort, workerData } from 'node:worker_threads'
import {
  prepareCrossValidation,
  type CrossValidation,
  type CrossValidationOptions,
} from '@cxr-audit/core'

/** What the pool hands each worker. */
export interface ProbeWorkerData {
  readonly data: Float32Array
  readonly rows: number
  readonly cols: number
  readonly labels: Uint8Array
  readonly folds: Int32Array
  readonly options: CrossValidationOptions
  /** True for the worker that builds the preconditioner. */
  readonly build: boolean
}

/** A preconditioner's factor between threads (null: the cross-validation has none). */
export type SharedFactor = { readonly factor: Float64Array; readonly size: number } | null

/** Main thread -> worker: the factor (workers that do not build), then fold numbers. */
export type ToWorker = { readonly factor: SharedFactor } | number

const port = parentPort
if (port !== null) {
  const w = workerData as ProbeWorkerData
  const x = { data: w.data, rows: w.rows, cols: w.cols }
  let cv: CrossValidation | undefined
  const ready = (c: CrossValidation, factor: SharedFactor): void => {
    cv = c
    port.postMessage({ ready: true, factor })
  }
  port.on('message', (m: ToWorker) => {
    if (typeof m === 'object') {
      ready(prepareCrossValidation(x, w.labels, w.folds, w.options, m.factor), null)
      return
    }
    const fit = cv!.fit(m)
    port.postMessage({ fold: m, fit }, [
      fit.testRows.buffer as ArrayBuffer,
      fit.testScores.buffer as ArrayBuffer,
    ])
  })
  if (w.build) {
    const c = prepareCrossValidation(x, w.labels, w.folds, w.options)
    const p = c.preconditioner
    ready(c, p === null ? null : { factor: p.factor, size: p.size })
  }
}
