import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { ModelError } from './errors.ts'

/**
 * How to feed an ONNX image model and which tensor is the embedding (docs/SPEC-ml.md [ML1]).
 * A JSON file `NAME.manifest.json` beside `NAME.onnx`.
 */
export interface ModelManifest {
  /** A short name shown in reports, e.g. `mobilenetv2-12-int8`. */
  readonly name: string
  /** The model file, relative to the manifest. */
  readonly file: string
  /** SHA-256 of the model file; when given, a different file is refused. */
  readonly sha256?: string
  readonly input: InputSpec
  readonly embedding: EmbeddingSpec
  /** Where the model comes from and its licence (documentation only). */
  readonly source?: string
  readonly licence?: string
}

export interface InputSpec {
  /** Name of the graph input. */
  readonly name: string
  /** Side of the square input in pixels: the display image is resized to size x size. */
  readonly size: number
  /** Tensor layout: NCHW (channels first) or NHWC. */
  readonly layout: 'NCHW' | 'NHWC'
  /** Channel order the model was trained with. */
  readonly channels: 'RGB' | 'BGR' | 'L'
  /** Pixel values are divided by this first (255 maps 0..255 to 0..1; 1 keeps 0..255). */
  readonly scale: number
  /** Per channel, in `channels` order: `(value / scale - mean) / std`. */
  readonly mean: readonly number[]
  readonly std: readonly number[]
  /**
   * How a grey radiograph becomes the model's channels: `replicate` copies the grey value into
   * every channel (what an RGB-trained network sees when shown a grey film).
   */
  readonly grey: 'replicate'
}

export interface EmbeddingSpec {
  /** The tensor whose values are the embedding: a graph output or any intermediate tensor. */
  readonly tensor: string
  /** Values per image (the tensor's size after the batch axis, flattened). */
  readonly dimensions: number
  /**
   * For a quantised tensor: the initializers holding its scale and zero point, so that the
   * stored vector is `(q - zeroPoint) * scale` (ONNX DequantizeLinear, per-tensor).
   */
  readonly dequantize?: { readonly scale: string; readonly zeroPoint: string }
}

/** The shipped default: ImageNet MobileNetV2 (int8), its 1280-d pooled features. */
export const DEFAULT_MANIFEST = fileURLToPath(
  new URL('../models/mobilenetv2-12-int8.manifest.json', import.meta.url),
)

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x)
const isStr = (x: unknown): x is string => typeof x === 'string' && x.length > 0

/** Checks a parsed manifest field by field; the error names the file and the field. */
export function validateManifest(value: unknown, file: string): ModelManifest {
  const bad = (field: string, want: string): never => {
    throw new ModelError(`${file}: field "${field}" must be ${want}`)
  }
  if (typeof value !== 'object' || value === null) bad('(root)', 'a JSON object')
  const m = value as Record<string, unknown>
  const input = (m['input'] ?? {}) as Record<string, unknown>
  const emb = (m['embedding'] ?? {}) as Record<string, unknown>
  if (!isStr(m['name'])) bad('name', 'a non-empty string')
  if (!isStr(m['file'])) bad('file', 'the model file name, relative to the manifest')
  if (m['sha256'] !== undefined && !/^[0-9a-f]{64}$/.test(String(m['sha256'])))
    bad('sha256', '64 lower-case hex digits')
  if (!isStr(input['name'])) bad('input.name', "the graph input's name")
  if (!Number.isInteger(input['size']) || (input['size'] as number) < 1)
    bad('input.size', 'a whole number of pixels')
  if (input['layout'] !== 'NCHW' && input['layout'] !== 'NHWC')
    bad('input.layout', '"NCHW" or "NHWC"')
  const channels = input['channels']
  if (channels !== 'RGB' && channels !== 'BGR' && channels !== 'L')
    bad('input.channels', '"RGB", "BGR" or "L"')
  const nChannels = channels === 'L' ? 1 : 3
  if (!isNum(input['scale']) || input['scale'] <= 0) bad('input.scale', 'a positive number')
  for (const key of ['mean', 'std']) {
    const v = input[key]
    if (!Array.isArray(v) || v.length !== nChannels || !v.every(isNum))
      bad(`input.${key}`, `${nChannels} numbers, one per channel`)
  }
  if ((input['std'] as number[]).some((s) => s === 0)) bad('input.std', 'non-zero numbers')
  if (input['grey'] !== 'replicate') bad('input.grey', '"replicate"')
  if (!isStr(emb['tensor'])) bad('embedding.tensor', 'the name of the embedding tensor')
  if (!Number.isInteger(emb['dimensions']) || (emb['dimensions'] as number) < 1)
    bad('embedding.dimensions', 'a whole number')
  const dq = emb['dequantize'] as Record<string, unknown> | undefined
  if (dq !== undefined && (!isStr(dq['scale']) || !isStr(dq['zeroPoint'])))
    bad('embedding.dequantize', '{"scale": initializer name, "zeroPoint": initializer name}')
  return value as ModelManifest
}

/** Reads and checks a manifest file. */
export async function readManifest(file: string): Promise<ModelManifest> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (e) {
    throw new ModelError(`cannot read the model manifest ${file}: ${(e as Error).message}`)
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (e) {
    throw new ModelError(`${file}: not valid JSON (${(e as Error).message})`)
  }
  return validateManifest(value, file)
}

/** The manifest of a model file: `X.onnx` is described by `X.manifest.json` beside it. */
export function manifestPathFor(modelFile: string): string {
  return modelFile.replace(/\.onnx$/i, '') + '.manifest.json'
}
