/**
 * A 64-bit DCT perceptual hash (the `phash` of Zauner 2010, as in the imagehash library with
 * hash size 8): the image is reduced to 32 x 32 grey, a 2-D DCT-II is taken, and each of the
 * 8 x 8 lowest-frequency coefficients gives one bit, set when it is above their median. Bits
 * are read row by row, most significant first, and printed as 16 hex digits.
 */
export function dctPhash(grey32: Uint8Array | Float64Array): string {
  const N = 32
  const K = 8
  if (grey32.length !== N * N)
    throw new RangeError(`phash needs 32 x 32 values, got ${grey32.length}`)
  const cos = new Float64Array(K * N)
  for (let k = 0; k < K; k++)
    for (let n = 0; n < N; n++) cos[k * N + n] = Math.cos((Math.PI / N) * (n + 0.5) * k)
  // rows first: rowsDct[y][k] for k < 8, then columns: coeff[k][l]
  const rowsDct = new Float64Array(N * K)
  for (let y = 0; y < N; y++)
    for (let k = 0; k < K; k++) {
      let s = 0
      for (let x = 0; x < N; x++) s += (grey32[y * N + x] ?? 0) * (cos[k * N + x] ?? 0)
      rowsDct[y * K + k] = s
    }
  const coeffs = new Float64Array(K * K)
  for (let k = 0; k < K; k++)
    for (let l = 0; l < K; l++) {
      let s = 0
      for (let y = 0; y < N; y++) s += (rowsDct[y * K + l] ?? 0) * (cos[k * N + y] ?? 0)
      coeffs[k * K + l] = s
    }
  const sorted = [...coeffs].sort((a, b) => a - b)
  const median = ((sorted[31] ?? 0) + (sorted[32] ?? 0)) / 2
  let hex = ''
  for (let nibble = 0; nibble < 16; nibble++) {
    let v = 0
    for (let b = 0; b < 4; b++) v = (v << 1) | ((coeffs[nibble * 4 + b] ?? 0) > median ? 1 : 0)
    hex += v.toString(16)
  }
  return hex
}

const POPCOUNT = [0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4]

/** Number of differing bits between two hex hashes of equal length (0 = identical). */
export function hammingDistance(a: string, b: string): number {
  if (a.length !== b.length || !/^[0-9a-f]*$/i.test(a + b)) {
    throw new RangeError(`hammingDistance needs two hex strings of equal length: ${a}, ${b}`)
  }
  let d = 0
  for (let i = 0; i < a.length; i++)
    d += POPCOUNT[parseInt(a[i] ?? '0', 16) ^ parseInt(b[i] ?? '0', 16)] ?? 0
  return d
}
