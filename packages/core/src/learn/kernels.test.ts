import { describe, expect, it } from 'vitest'
import { createRng } from '../random.ts'
import { featureMatrix } from './features.ts'
import { createRowKernels } from './kernels.ts'

describe('row kernels', () => {
  // 37 columns: 4 SIMD groups of 8 plus a tail of 5
  const rng = createRng(5)
  const rows = 300
  const cols = 37
  const data = Float32Array.from({ length: rows * cols }, () => rng.next() * 4 - 2)
  const x = featureMatrix(data, rows, cols)
  const simd = createRowKernels(x)
  const plain = createRowKernels(x, 'js')
  const list = Int32Array.from({ length: 250 }, (_, i) => (i * 7) % rows)
  const v = Float64Array.from({ length: cols }, () => rng.next() - 0.5)

  it('[LR4] Float32Array features run as WebAssembly SIMD, the rest as plain loops', () => {
    expect(simd.kind).toBe('wasm-simd')
    expect(plain.kind).toBe('js')
    expect(createRowKernels(featureMatrix(Float64Array.from(data), rows, cols)).kind).toBe('js')
  })

  it('[LR4] both give the same z = X v and X\u2019 c, up to the order of additions', () => {
    const run = (k: typeof simd) => {
      const z = new Float64Array(list.length)
      const acc = new Float64Array(cols)
      k.pass(list, v, acc, (block, start, count, coef) => {
        for (let r = 0; r < count; r++) {
          z[start + r] = block[r]!
          coef[r] = Math.sin(start + r)
        }
      })
      return { z, acc }
    }
    const a = run(simd)
    const b = run(plain)
    for (let i = 0; i < list.length; i++) {
      let exact = 0
      for (let j = 0; j < cols; j++) exact += data[list[i]! * cols + j]! * v[j]!
      expect(a.z[i]).toBeCloseTo(exact, 12)
      expect(b.z[i]).toBeCloseTo(exact, 12)
    }
    for (let j = 0; j < cols; j++) expect(a.acc[j]).toBeCloseTo(b.acc[j]!, 10)
  })

  it('[LR4] both give the same Gram matrix and Cholesky factor', () => {
    const sample = Int32Array.from([0, 3, 9, 12, 40, 41, 42, 100, 150, 299])
    const mean = new Float64Array(cols).fill(0.1)
    const scale = new Float64Array(cols).fill(2)
    const g1 = simd.gram(sample, mean, scale)
    const g2 = plain.gram(sample, mean, scale)
    for (let i = 0; i < g1.length; i++) expect(g1[i]).toBeCloseTo(g2[i]!, 9)
    const size = cols + 1
    for (let i = 0; i < size; i++) {
      g1[i * size + i]! += 1
      g2[i * size + i]! += 1
    }
    expect(simd.cholesky(g1, size)).toBe(true)
    expect(plain.cholesky(g2, size)).toBe(true)
    for (let i = 0; i < g1.length; i++) expect(g1[i]).toBeCloseTo(g2[i]!, 9)
    expect(plain.cholesky(new Float64Array([1, 2, 2, 1]), 2)).toBe(false)
  })
})
