import { readFileSync } from 'node:fs'
import ort from 'onnxruntime-node'
import { describe, expect, it } from 'vitest'
import { DEFAULT_MANIFEST } from '../manifest.ts'
import { graphNames, readInitializer, withGraphOutputs, OnnxGraphError } from './graph.ts'
import { readFields, writeFields } from './protobuf.ts'
import { pairsAboveModel } from './build.ts'

const model = readFileSync(DEFAULT_MANIFEST.replace('.manifest.json', '.onnx'))

describe('ONNX graph surgery', () => {
  it('[ML2] re-encoding the fields of a model gives back its exact bytes', () => {
    expect(Buffer.from(writeFields(readFields(model))).equals(model)).toBe(true)
  })

  it('[ML2] names the graph input, output and the pooled tensor feeding the classifier', () => {
    const names = graphNames(model)
    expect(names.inputs).toEqual(['input'])
    expect(names.outputs).toEqual(['output'])
    expect(names.produced.has('472_quantized')).toBe(true)
    expect(names.initializers.has('classifier.1.weight_quantized')).toBe(true)
  })

  it('[ML2] adds an intermediate tensor as a graph output that onnxruntime returns', async () => {
    const edited = withGraphOutputs(model, ['472_quantized'])
    expect(graphNames(edited).outputs).toEqual(['output', '472_quantized'])
    const session = await ort.InferenceSession.create(edited)
    const x = new ort.Tensor('float32', new Float32Array(3 * 224 * 224).fill(0.5), [1, 3, 224, 224])
    const out = await session.run({ input: x })
    expect(out['472_quantized']!.dims).toEqual([1, 1280])
    expect(out['472_quantized']!.type).toBe('uint8')
    // the original output is unchanged by the extra one
    const plain = await ort.InferenceSession.create(model)
    expect((await plain.run({ input: x }))['output']!.data).toEqual(out['output']!.data)
    await Promise.all([session.release(), plain.release()])
    expect(() => withGraphOutputs(model, ['no-such-tensor'])).toThrow(OnnxGraphError)
  })

  it('[ML2] reads scalar and per-channel initializers of float, uint8 and int8 type', () => {
    expect(readInitializer(model, '464_scale')).toMatchObject({ dataType: 1, dims: [] })
    expect(readInitializer(model, '464_scale').values[0]).toBeCloseTo(0.01911, 5)
    expect(Array.from(readInitializer(model, 'output_zero_point').values)).toEqual([75])
    const w = readInitializer(model, 'classifier.1.weight_quantized')
    expect(w.dims).toEqual([1280, 1000])
    expect(Array.from(w.values).some((v) => v < 0)).toBe(true) // int8 weights are signed
    expect(() => readInitializer(model, 'nope')).toThrow(/no initializer named "nope"/)
  })

  it('[ML8] a model written from scratch finds the dot products above a threshold', async () => {
    const session = await ort.InferenceSession.create(pairsAboveModel(2))
    const a = new ort.Tensor('float32', Float32Array.of(1, 0, 0, 1), [2, 2])
    const b = new ort.Tensor('float32', Float32Array.of(1, 0, 0.6, 0.8, 0, -1), [3, 2])
    const t = new ort.Tensor('float32', Float32Array.of(0.7), [1])
    const pairs = (await session.run({ a, b, t }))['pairs']!
    // dots: row 0 -> (1, 0.6, 0), row 1 -> (0, 0.8, -1): above 0.7 are (0,0) and (1,1)
    expect(pairs.dims).toEqual([2, 2])
    expect(Array.from(pairs.data as BigInt64Array, Number)).toEqual([0, 1, 0, 1])
    await session.release()
  })
})
