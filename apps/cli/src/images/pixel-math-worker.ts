// A pixel-math thread of `thumbnails` (pixel-math-pool.ts): the model inputs' area averages and
// the pixel facts of each film's preview, off the main thread (docs/decisions/049).
import { parentPort } from 'node:worker_threads'
import { servePixelMath } from '@cxr-audit/imaging'

servePixelMath(parentPort!)
