import { createRequire } from 'node:module'
import type DicomParser from 'dicom-parser'
import type { Decoder } from 'jpeg-lossless-decoder-js'

// Loaded on first use, not as a command starts: a batch of PNG films never parses DICOM, and
// the two packages took about 20 ms of `thumbnails`' start-up (docs/decisions/046).
const load = createRequire(import.meta.url)
let parser: typeof DicomParser | undefined
let lossless: typeof Decoder | undefined

/** The dicom-parser package. */
export const dicomParser = (): typeof DicomParser =>
  (parser ??= load('dicom-parser') as typeof DicomParser)

/** The JPEG Lossless (process 14) decoder of jpeg-lossless-decoder-js. */
export const JpegLosslessDecoder = (): typeof Decoder =>
  (lossless ??= (load('jpeg-lossless-decoder-js') as { Decoder: typeof Decoder }).Decoder)
