import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { createRequire } from 'node:module'
import ort from 'onnxruntime-node'
import sharp from 'sharp'
import { afterAll, describe, expect, it } from 'vitest'
import { ImageRoots, resizeSquare } from '@cxr-audit/imaging'
import { sharedData } from '../../../test-support/shared-data.ts'
import { channelTables, displayPixels, writeInput } from './input.ts'
import { DEFAULT_MANIFEST, readManifest, validateManifest } from './manifest.ts'
import { inputLength, loadEmbeddingModel, type EmbeddingModel } from './model.ts'
import { ModelError } from './errors.ts'
import { readInitializer, withGraphOutputs } from './onnx/graph.ts'

const IMAGE = '00000846_000.png'
const images = dirname(sharedData(`cxr14/images/${IMAGE}`))
const roots = new ImageRoots([images])
const SIDE = 224
const modelFile = join(dirname(DEFAULT_MANIFEST), 'mobilenetv2-12-int8.onnx')

async function embedFile(model: EmbeddingModel, path: string, r = roots): Promise<Float32Array> {
  const { pixels } = await displayPixels(path, SIDE, r)
  const input = new Float32Array(inputLength(model.manifest))
  writeInput(pixels, model.manifest.input, channelTables(model.manifest.input), input, 0)
  return model.embed(input, 1)
}

const cosine = (a: Float32Array, b: Float32Array): number => {
  let ab = 0
  let aa = 0
  let bb = 0
  for (let i = 0; i < a.length; i++) {
    ab += a[i]! * b[i]!
    aa += a[i]! * a[i]!
    bb += b[i]! * b[i]!
  }
  return ab / Math.sqrt(aa * bb)
}

function correlation(a: Uint8Array, b: Uint8Array): number {
  const n = a.length
  let ma = 0
  let mb = 0
  for (let i = 0; i < n; i++) {
    ma += a[i]! / n
    mb += b[i]! / n
  }
  let ab = 0
  let aa = 0
  let bb = 0
  for (let i = 0; i < n; i++) {
    ab += (a[i]! - ma) * (b[i]! - mb)
    aa += (a[i]! - ma) ** 2
    bb += (b[i]! - mb) ** 2
  }
  return ab / Math.sqrt(aa * bb)
}

describe('the shipped MobileNetV2 and its manifest', () => {
  let model: EmbeddingModel
  const dir = mkdtempSync(join(tmpdir(), 'cxr-ml-model-'))
  afterAll(async () => {
    await model?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('[ML2] a real film gives the 1280 pooled features that the final Gemm consumes', async () => {
    model = await loadEmbeddingModel()
    expect(model.dimensions).toBe(1280)
    expect(model.sha256).toBe('83530ad811bc31d2b60a5599a21265a5057608c9b044b4ee758cc22f2309f54f')
    const { pixels } = await displayPixels(IMAGE, SIDE, roots)
    const input = new Float32Array(inputLength(model.manifest))
    writeInput(pixels, model.manifest.input, channelTables(model.manifest.input), input, 0)
    const out = await model.run(input, 1)
    const embedding = await model.embed(input, 1)
    expect(embedding).toHaveLength(1280)
    expect(Math.min(...embedding)).toBeGreaterThanOrEqual(0) // pooled ReLU6 activations
    // Recompute the classifier (Gemm: logits = e W + b) in double precision from the graph's
    // own weights: it must give back the model's 1000 logits, up to the int8 model's
    // requantisation of the product and of the sum (half a step of each, at most).
    const bytes = readFileSync(modelFile)
    const w = readInitializer(bytes, 'classifier.1.weight_quantized')
    const wScale = readInitializer(bytes, 'classifier.1.weight_scale').values
    const wZero = readInitializer(bytes, 'classifier.1.weight_zero_point').values
    const bias = readInitializer(bytes, 'classifier.1.bias_quantized').values
    const bScale = readInitializer(bytes, 'classifier.1.bias_scale').values[0]!
    const bZero = readInitializer(bytes, 'classifier.1.bias_zero_point').values[0]!
    const step =
      readInitializer(bytes, 'output_MatMul_scale').values[0]! +
      readInitializer(bytes, 'output_scale').values[0]!
    expect(w.dims).toEqual([1280, 1000])
    const logits = out['output']!.data as Float32Array
    let worst = 0
    let argmax = [0, 0]
    for (let j = 0; j < 1000; j++) {
      let s = (bias[j]! - bZero) * bScale
      for (let i = 0; i < 1280; i++)
        s += embedding[i]! * (w.values[i * 1000 + j]! - wZero[j]!) * wScale[j]!
      worst = Math.max(worst, Math.abs(s - logits[j]!))
      if (s > argmax[0]!) argmax = [s, j]
    }
    expect(worst).toBeLessThanOrEqual(step)
    expect(logits.indexOf(Math.max(...logits))).toBe(argmax[1])
  })

  it('[ML4] matches onnxruntime run directly on a tensor built by an independent path', async () => {
    // independent of displayPixels and writeInput: sharp reduces the 8-bit PNG straight from
    // the file to the 256-pixel preview (libvips lanczos3, as the thumbnail), imaging's pure
    // area-average resize (tested on its own) makes 224 x 224, the tensor is written channel by
    // channel from the ImageNet constants, and the session is created here on the model with
    // its pooled tensor made an output
    const preview = await sharp(join(images, IMAGE))
      .resize({ width: 256, height: 256, fit: 'inside' })
      .toColourspace('b-w')
      .raw()
      .toBuffer({ resolveWithObject: true })
    const grey = resizeSquare(
      { width: preview.info.width, height: preview.info.height, pixels: preview.data },
      SIDE,
    )
    expect(Buffer.from(grey)).toEqual(Buffer.from((await displayPixels(IMAGE, SIDE, roots)).pixels))
    const mean = [0.485, 0.456, 0.406]
    const std = [0.229, 0.224, 0.225]
    const data = new Float32Array(3 * SIDE * SIDE)
    for (let c = 0; c < 3; c++)
      for (let i = 0; i < SIDE * SIDE; i++)
        data[c * SIDE * SIDE + i] = (grey[i]! / 255 - mean[c]!) / std[c]!
    const session = await ort.InferenceSession.create(
      withGraphOutputs(readFileSync(modelFile), ['472_quantized']),
    )
    const q = (await session.run({ input: new ort.Tensor('float32', data, [1, 3, SIDE, SIDE]) }))[
      '472_quantized'
    ]!.data as Uint8Array
    await session.release()
    const expected = Float32Array.from(q, (v) => v * 0.019110053777694702)
    expect(await embedFile(model, IMAGE)).toEqual(expected)
  })

  it('[ML5] the same file gives identical vectors across runs and sessions', async () => {
    const first = await embedFile(model, IMAGE)
    const again = await loadEmbeddingModel()
    try {
      expect(Buffer.from((await embedFile(again, IMAGE)).buffer)).toEqual(Buffer.from(first.buffer))
    } finally {
      await again.close()
    }
  })

  it('[ML3] a MONOCHROME1 film is shown to the model inverted, as the reader sees it', async () => {
    const dicoms = new ImageRoots([dirname(sharedData('dicom/siim-cxr-jpeg-baseline.dcm'))])
    const m2 = await displayPixels('siim-cxr-jpeg-baseline.dcm', SIDE, dicoms)
    const m1 = await displayPixels('siim-cxr-jpeg-baseline-monochrome1.dcm', SIDE, dicoms)
    // same stored pixels; only the Photometric Interpretation differs (PS3.3 C.7.6.3.1.2)
    // each side rounds three times (window to 0..255, libvips' preview, which truncates in its
    // box-shrink step, so v and 255 - v round apart, then the area average to 224): at most 3
    // levels from the exact negative
    let worst = 0
    for (let i = 0; i < m1.pixels.length; i++) {
      worst = Math.max(worst, Math.abs(m1.pixels[i]! - (255 - m2.pixels[i]!)))
    }
    expect(worst).toBeLessThanOrEqual(3)
    expect(correlation(m1.pixels, m2.pixels)).toBeLessThan(-0.999)
    const a = await embedFile(model, 'siim-cxr-jpeg-baseline.dcm', dicoms)
    const b = await embedFile(model, 'siim-cxr-jpeg-baseline-monochrome1.dcm', dicoms)
    expect(cosine(a, b)).toBeLessThan(0.95)
  })

  it('[ML1] a manifest error names the file and the field', async () => {
    const good = JSON.parse(readFileSync(DEFAULT_MANIFEST, 'utf8')) as Record<string, unknown>
    const bad = { ...good, input: { ...(good['input'] as object), mean: [0.5] } }
    expect(() => validateManifest(bad, 'm.json')).toThrow(
      /m\.json: field "input\.mean" must be 3 numbers/,
    )
    const file = join(dir, 'x.manifest.json')
    writeFileSync(file, '{"name": ')
    await expect(readManifest(file)).rejects.toThrow(/x\.manifest\.json: not valid JSON/)
    const wrongTensor = join(dir, 'wrong.manifest.json')
    writeFileSync(
      wrongTensor,
      JSON.stringify({ ...good, file: modelFile, embedding: { tensor: 'nope', dimensions: 1280 } }),
    )
    await expect(loadEmbeddingModel(wrongTensor)).rejects.toThrow(/no tensor "nope" in the graph/)
    const wrongHash = join(dir, 'hash.manifest.json')
    writeFileSync(wrongHash, JSON.stringify({ ...good, file: modelFile, sha256: '0'.repeat(64) }))
    await expect(loadEmbeddingModel(wrongHash)).rejects.toThrow(ModelError)
    await expect(loadEmbeddingModel(join(dir, 'missing.onnx'))).rejects.toThrow(
      /no such model file/,
    )
    const unknown = join(dir, 'unknown.onnx')
    writeFileSync(unknown, readFileSync(modelFile).subarray(0, 1000))
    await expect(loadEmbeddingModel(unknown)).rejects.toThrow(
      /no manifest unknown\.manifest\.json beside it/,
    )
  })

  it('[ML1] the shipped model kept elsewhere without a manifest is recognised by its SHA-256', async () => {
    const elsewhere = sharedData('models/mobilenetv2-12-int8.onnx')
    const copy = await loadEmbeddingModel(elsewhere)
    try {
      expect(copy.file).toBe(elsewhere)
      expect(copy.configHash).toBe(model.configHash)
      expect(await embedFile(copy, IMAGE)).toEqual(await embedFile(model, IMAGE))
    } finally {
      await copy.close()
    }
  })

  it('[ML9] --device cuda fails with a clear error where the CUDA provider is missing', async () => {
    const require = createRequire(import.meta.url)
    const binDir = join(
      dirname(require.resolve('onnxruntime-node')),
      '..',
      'bin',
      'napi-v6',
      'linux',
      'x64',
    )
    const hasCuda = existsSync(join(binDir, 'libonnxruntime_providers_cuda.so'))
    const load = loadEmbeddingModel(undefined, { device: 'cuda' })
    if (hasCuda) {
      // a machine with the CUDA provider installed (a GPU task): the model must load and run
      const m = await load
      expect((await embedFile(m, IMAGE)).length).toBe(1280)
      await m.close()
    } else {
      await expect(load).rejects.toThrow(
        /--device cuda: onnxruntime's CUDA execution provider is not available/,
      )
    }
  })
})
