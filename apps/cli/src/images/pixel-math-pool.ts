import { availableParallelism } from 'node:os'
import { PixelMathPool } from '@cxr-audit/imaging'
import { startWorker } from '../worker-start.ts'

/**
 * Worker threads for the per-film pixel math of `thumbnails` (docs/decisions/049): about 1 ms
 * a film against about 14 ms of libvips work on libuv's pool, so one thread per eight cores.
 * Started before the database is opened, so that they boot meanwhile.
 */
export function startPixelMath(threads = Math.ceil(availableParallelism() / 8)): PixelMathPool {
  return new PixelMathPool(threads, () =>
    startWorker('pixel-math-worker', new URL('./pixel-math-worker.ts', import.meta.url), null),
  )
}
