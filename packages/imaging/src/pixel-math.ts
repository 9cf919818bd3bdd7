import type { MessagePort, Worker } from 'node:worker_threads'
import { previewStats, type PreviewStats } from './pixels/preview-stats.ts'
import { resizeSquare } from './pixels/resize.ts'
import type { GreyImage } from './pixels/types.ts'

/**
 * The pure pixel math done per film from its preview: the model input's area averages and the
 * pixel facts (docs/decisions/049). On this thread by default; a batch may hand it to worker
 * threads ({@link PixelMathPool}), so that the main thread only orchestrates sharp calls and
 * file writes. Either way the same functions, so the same bits.
 */
export interface PixelMath {
  /** resizeSquare(image, size): the rounded grey values of a square model input. */
  resizeSquare(image: GreyImage, size: number): Promise<Uint8Array>
  /** previewStats(preview): the pixel facts of a preview. */
  stats(preview: GreyImage): Promise<PreviewStats>
}

export const IN_THREAD_MATH: PixelMath = {
  resizeSquare: async (image, size) => resizeSquare(image, size),
  stats: async (preview) => previewStats(preview),
}

/** A request to a pixel-math thread; the pixels are a copy of their own, transferred. */
type Request =
  | { op: 'resize'; width: number; height: number; pixels: Uint8Array; size: number }
  | { op: 'stats'; width: number; height: number; pixels: Uint8Array }
type Job = Request & { id: number }

type Reply =
  | { id: number; resized: Uint8Array }
  | { id: number; stats: PreviewStats }
  | { id: number; error: string }

/** The body of a pixel-math thread: answers every job posted to `port` (see PixelMathPool). */
export function servePixelMath(port: MessagePort): void {
  port.on('message', (job: Job) => {
    try {
      const image = { width: job.width, height: job.height, pixels: job.pixels }
      if (job.op === 'resize') {
        const resized = resizeSquare(image, job.size)
        port.postMessage({ id: job.id, resized } satisfies Reply, [resized.buffer as ArrayBuffer])
      } else {
        port.postMessage({ id: job.id, stats: previewStats(image) } satisfies Reply)
      }
    } catch (error) {
      port.postMessage({
        id: job.id,
        error: error instanceof Error ? error.message : String(error),
      } satisfies Reply)
    }
  })
}

/**
 * {@link PixelMath} on worker threads started by `start` (each running servePixelMath), jobs
 * spread to the least busy. The threads do not keep the process alive; `close` ends them.
 */
export class PixelMathPool implements PixelMath {
  readonly #workers: { worker: Worker; busy: number }[]
  readonly #waiting = new Map<
    number,
    { resolve: (r: Reply) => void; reject: (e: unknown) => void; slot: { busy: number } }
  >()
  #next = 0
  #failure: unknown = undefined

  constructor(threads: number, start: () => Worker) {
    this.#workers = Array.from({ length: Math.max(1, threads) }, () => {
      const slot = { worker: start(), busy: 0 }
      slot.worker.unref()
      slot.worker.on('message', (r: Reply) => {
        const waiting = this.#waiting.get(r.id)
        if (waiting === undefined) return
        this.#waiting.delete(r.id)
        slot.busy--
        waiting.resolve(r)
      })
      const fail = (e: unknown): void => {
        this.#failure ??= e
        for (const [id, w] of this.#waiting) {
          if (w.slot !== slot) continue
          this.#waiting.delete(id)
          w.reject(e)
        }
      }
      slot.worker.on('error', fail)
      slot.worker.on('exit', (code) => fail(new Error(`a pixel-math thread stopped (code ${code})`)))
      return slot
    })
  }

  async resizeSquare(image: GreyImage, size: number): Promise<Uint8Array> {
    const r = await this.#post({ op: 'resize', ...copyOf(image), size })
    return (r as { resized: Uint8Array }).resized
  }

  async stats(preview: GreyImage): Promise<PreviewStats> {
    const r = await this.#post({ op: 'stats', ...copyOf(preview) })
    return (r as { stats: PreviewStats }).stats
  }

  /** Ends the threads; jobs still waiting fail. */
  async close(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.worker.terminate()))
  }

  #post(job: Request): Promise<Reply> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure)
    const slot = this.#workers.reduce((a, b) => (b.busy < a.busy ? b : a))
    const id = this.#next++
    return new Promise<Reply>((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject, slot })
      slot.busy++
      slot.worker.postMessage({ ...job, id }, [job.pixels.buffer as ArrayBuffer])
    }).then((r) => {
      if ('error' in r) throw new RangeError(r.error)
      return r
    })
  }
}

/**
 * The image's pixels in a buffer of their own, to transfer: posting a view would copy its
 * whole buffer, and the caller keeps using the original (the thumbnail is encoded from it).
 */
const copyOf = (image: GreyImage): { width: number; height: number; pixels: Uint8Array } => ({
  width: image.width,
  height: image.height,
  pixels: image.pixels.slice(),
})
