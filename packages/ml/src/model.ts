import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import ort from 'onnxruntime-node'
import { ModelError } from './errors.ts'
import { DEFAULT_MANIFEST, manifestPathFor, readManifest, type ModelManifest } from './manifest.ts'
import { graphNames, readInitializer, withGraphOutputs } from './onnx/graph.ts'

/**
 * Version of the image -> tensor steps (display pixels, resize, normalisation). Part of every
 * embedding model's identity: changing those steps must change it, so that old vectors are
 * recomputed rather than mixed with new ones [ML5]. 2: the input is the 256-pixel preview
 * reduced by area averages (imaging's modelInputOf), no longer libvips' Lanczos 3 of the full
 * display, so that the rendition cache can keep it [ML10].
 */
export const PREPROCESS_VERSION = 2

export type Device = 'cpu' | 'cuda'

export interface LoadOptions {
  /** Execution provider: `cpu` (default, tested) or `cuda` (onnxruntime's CUDA provider). */
  readonly device?: Device
  /** onnxruntime intra-op threads (default: onnxruntime's choice, one per physical core). */
  readonly threads?: number
  /**
   * Let idle onnxruntime threads spin waiting for work (onnxruntime's default). Default false
   * here: between batches the decoders need those cores, and spinning threads take them.
   */
  readonly spin?: boolean
}

/** An ONNX image model ready to turn input tensors into embeddings. */
export interface EmbeddingModel {
  readonly name: string
  /** Absolute path of the .onnx file. */
  readonly file: string
  /** SHA-256 of the .onnx file's bytes. */
  readonly sha256: string
  /** SHA-256 of the file hash, the manifest's input and embedding specs and PREPROCESS_VERSION. */
  readonly configHash: string
  readonly dimensions: number
  readonly manifest: ModelManifest
  readonly device: Device
  /**
   * Runs `count` images already laid out in `input` (see inputLength) and returns
   * `count * dimensions` floats, image after image.
   */
  embed(input: Float32Array, count: number): Promise<Float32Array>
  /** The raw outputs (for tests and tools): every graph output by name. */
  run(input: Float32Array, count: number): Promise<Record<string, ort.Tensor>>
  close(): Promise<void>
}

/** Values per image in the model's input tensor. */
export function inputLength(m: ModelManifest): number {
  return (m.input.channels === 'L' ? 1 : 3) * m.input.size * m.input.size
}

/** JSON with object keys sorted, so that equal settings hash equally whatever their order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (typeof value === 'object' && value !== null) {
    const o = value as Record<string, unknown>
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`
  }
  return JSON.stringify(value)
}

async function readModel(file: string): Promise<{ bytes: Uint8Array; sha256: string }> {
  let bytes: Uint8Array
  try {
    bytes = await readFile(file)
  } catch (e) {
    throw new ModelError(`cannot read the model ${file}: ${(e as Error).message}`)
  }
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex') }
}

/** A shipped manifest that names this SHA-256: the same model file kept elsewhere. */
async function shippedManifestFor(sha256: string): Promise<ModelManifest | undefined> {
  const dir = dirname(DEFAULT_MANIFEST)
  for (const f of (await readdir(dir)).filter((n) => n.endsWith('.manifest.json')).sort()) {
    const m = await readManifest(join(dir, f))
    if (m.sha256 === sha256) return m
  }
  return undefined
}

/**
 * The manifest and the model from `--model`: the default; a manifest (`.json`, the model file
 * named in it); or an `.onnx` with `NAME.manifest.json` beside it, else a shipped manifest
 * whose `sha256` is the file's (the same model copied elsewhere) [ML1].
 */
async function locate(
  model?: string,
): Promise<{ manifest: ModelManifest; onnx: string; bytes: Uint8Array; sha256: string }> {
  if (model === undefined || model.toLowerCase().endsWith('.json')) {
    const manifestFile = model === undefined ? DEFAULT_MANIFEST : resolve(model)
    const manifest = await readManifest(manifestFile)
    const onnx = resolve(dirname(manifestFile), manifest.file)
    return { manifest, onnx, ...(await readModel(onnx)) }
  }
  const onnx = resolve(model)
  if (!existsSync(onnx)) throw new ModelError(`no such model file: ${model}`)
  const beside = manifestPathFor(onnx)
  const read = await readModel(onnx)
  const manifest = existsSync(beside)
    ? await readManifest(beside)
    : await shippedManifestFor(read.sha256)
  if (manifest === undefined) {
    throw new ModelError(
      `${model}: no manifest ${basename(beside)} beside it; write one naming the input, its size and normalisation, and the embedding tensor (docs/learnability.md)`,
    )
  }
  return { manifest, onnx, ...read }
}

function scalar(bytes: Uint8Array, name: string, what: string): number {
  const t = readInitializer(bytes, name)
  if (t.values.length !== 1) {
    throw new ModelError(
      `${what} "${name}" has ${t.values.length} values: only per-tensor quantisation is read`,
    )
  }
  return t.values[0]!
}

/**
 * Loads a model and its manifest (`--model FILE.onnx` with `FILE.manifest.json` beside it, or
 * the manifest itself; default: the shipped MobileNetV2). When the embedding tensor is not a
 * graph output it is added as one in memory [ML2]. Errors about the files are ModelError.
 */
export async function loadEmbeddingModel(
  model?: string,
  options: LoadOptions = {},
): Promise<EmbeddingModel> {
  const { manifest, onnx, bytes, sha256 } = await locate(model)
  if (manifest.sha256 !== undefined && manifest.sha256 !== sha256) {
    throw new ModelError(
      `${onnx}: SHA-256 ${sha256} is not the ${manifest.sha256} its manifest names (a different file?)`,
    )
  }
  let names
  try {
    names = graphNames(bytes)
  } catch (e) {
    throw new ModelError(`${onnx}: not an ONNX model (${(e as Error).message})`)
  }
  const { input, embedding } = manifest
  if (!names.inputs.includes(input.name)) {
    throw new ModelError(
      `${onnx}: no graph input "${input.name}" (the model's inputs: ${names.inputs.join(', ')})`,
    )
  }
  if (!names.outputs.includes(embedding.tensor) && !names.produced.has(embedding.tensor)) {
    throw new ModelError(`${onnx}: no tensor "${embedding.tensor}" in the graph`)
  }
  let dequantize: { scale: number; zeroPoint: number } | undefined
  try {
    if (embedding.dequantize !== undefined) {
      dequantize = {
        scale: scalar(bytes, embedding.dequantize.scale, 'scale'),
        zeroPoint: scalar(bytes, embedding.dequantize.zeroPoint, 'zero point'),
      }
    }
  } catch (e) {
    throw new ModelError(`${onnx}: ${(e as Error).message}`)
  }
  const device = options.device ?? 'cpu'
  const session = await createSession(withGraphOutputs(bytes, [embedding.tensor]), device, options)
  const side = input.size
  const channels = input.channels === 'L' ? 1 : 3
  const shape = (n: number): number[] =>
    input.layout === 'NCHW' ? [n, channels, side, side] : [n, side, side, channels]
  const run = async (data: Float32Array, count: number): Promise<Record<string, ort.Tensor>> => {
    const per = inputLength(manifest)
    const tensor = new ort.Tensor('float32', data.subarray(0, count * per), shape(count))
    return session.run({ [input.name]: tensor })
  }
  const d = embedding.dimensions
  const configHash = createHash('sha256')
    .update(canonical({ sha256, input, embedding, preprocess: PREPROCESS_VERSION }))
    .digest('hex')
  return {
    name: manifest.name,
    file: onnx,
    sha256,
    configHash,
    dimensions: d,
    manifest,
    device,
    run,
    async embed(data, count) {
      const out = (await run(data, count))[embedding.tensor]
      if (out === undefined || out.size !== count * d) {
        throw new ModelError(
          `${onnx}: tensor "${embedding.tensor}" has ${out?.size ?? 0} values for ${count} images, not ${count} x ${d} (embedding.dimensions)`,
        )
      }
      const values = out.data as ArrayLike<number>
      if (dequantize === undefined) {
        return values instanceof Float32Array ? values.slice() : Float32Array.from(values)
      }
      // ONNX DequantizeLinear: y = (x - zero_point) * scale, in float32
      const { scale, zeroPoint } = dequantize
      const v = new Float32Array(values.length)
      for (let i = 0; i < v.length; i++) v[i] = (values[i]! - zeroPoint) * scale
      return v
    },
    close: () => session.release(),
  }
}

async function createSession(
  bytes: Uint8Array,
  device: Device,
  options: LoadOptions,
): Promise<ort.InferenceSession> {
  const sessionOptions: ort.InferenceSession.SessionOptions = {
    executionProviders: [device],
    graphOptimizationLevel: 'all',
    // onnxruntime's own logger writes to stderr; only failures matter, and they reach us as errors
    logSeverityLevel: device === 'cuda' ? 4 : 3,
    ...(options.threads === undefined ? {} : { intraOpNumThreads: options.threads }),
    ...(options.spin !== true
      ? {
          extra: {
            session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } },
          },
        }
      : {}),
  }
  // onnxruntime prints a failed provider load itself before throwing; the error we throw is enough
  if (device === 'cuda') ort.env.logLevel = 'fatal'
  try {
    return await ort.InferenceSession.create(bytes, sessionOptions)
  } catch (e) {
    const detail = (e as Error).message.split('\n')[0]?.slice(0, 300) ?? ''
    if (device === 'cuda') {
      throw new ModelError(
        `--device cuda: onnxruntime's CUDA execution provider is not available on this machine (${detail}). ` +
          "It needs an NVIDIA GPU with CUDA 12 and cuDNN 9, and onnxruntime-node's CUDA binaries " +
          '(ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules/onnxruntime-node/script/install); or use --device cpu.',
      )
    }
    throw new ModelError(`onnxruntime cannot load the model: ${detail}`)
  }
}
