import { loadImage, modelInputOf, type ImageRoots } from '@cxr-audit/imaging'
import type { InputSpec } from './manifest.ts'

/** The pixels a model is shown, and the hash of the file they came from. */
export interface ModelPixels {
  /** `size * size` grey values, 0 black to 255 white, row-major. */
  readonly pixels: Uint8Array
  /** SHA-256 of the file's bytes. */
  readonly contentHash: string
}

/**
 * The model input of one file without a cache ([ML3]): the display the reader sees (Modality
 * LUT, default window, MONOCHROME1 inverted; docs/SPEC-imaging.md [I7]-[I8]) made into a
 * `size` x `size` input by @cxr-audit/imaging's `modelInputOf`, the one definition that
 * `embed` and `thumbnails` share through the rendition cache [I26]. Throws ImageError for any
 * unreadable file.
 */
export async function displayPixels(
  path: string,
  size: number,
  roots: ImageRoots,
): Promise<ModelPixels> {
  const loaded = await loadImage(path, { roots })
  const input = await modelInputOf(loaded, size)
  return { pixels: input.pixels, contentHash: loaded.contentHash }
}

/** Per channel, the 256 normalised values `(v / scale - mean) / std` of each grey level. */
export function channelTables(spec: InputSpec): Float32Array[] {
  return spec.mean.map((mean, c) => {
    const std = spec.std[c]!
    const t = new Float32Array(256)
    for (let v = 0; v < 256; v++) t[v] = (v / spec.scale - mean) / std
    return t
  })
}

/**
 * Writes one image into slot `index` of a batch tensor ([ML4]): the grey value replicated
 * into every channel, each channel normalised with its own mean and std, in the manifest's
 * layout. With grey replicated, RGB and BGR differ only in which mean/std goes first, and the
 * manifest lists them in its channel order, so no reordering is needed.
 */
export function writeInput(
  pixels: Uint8Array,
  spec: InputSpec,
  tables: readonly Float32Array[],
  out: Float32Array,
  index: number,
): void {
  const area = spec.size * spec.size
  if (pixels.length !== area) throw new RangeError(`expected ${area} pixels, got ${pixels.length}`)
  const channels = tables.length
  const base = index * area * channels
  if (spec.layout === 'NCHW') {
    for (let c = 0; c < channels; c++) {
      const t = tables[c]!
      const at = base + c * area
      for (let i = 0; i < area; i++) out[at + i] = t[pixels[i]!]!
    }
  } else {
    for (let i = 0; i < area; i++) {
      const v = pixels[i]!
      for (let c = 0; c < channels; c++) out[base + i * channels + c] = tables[c]![v]!
    }
  }
}
