import { createRng, type Rng, type Seed } from '../random.ts'
import { LearnInputError } from './errors.ts'
import { allRows, type FeatureMatrix } from './features.ts'

export interface KMeansOptions {
  readonly k: number
  /** Seeds the k-means++ start [KM1]. */
  readonly seed: Seed
  /** The rows to cluster (default all); labels come back in this order. */
  readonly rows?: Int32Array | undefined
  /** Start from these rows (indices into `rows`) instead of k-means++ (for comparisons). */
  readonly initialRows?: readonly number[] | undefined
  /** Default 300 (sklearn's). */
  readonly maxIterations?: number | undefined
}

export interface KMeansResult {
  readonly k: number
  /** k x cols, row-major. */
  readonly centres: Float64Array
  /** The cluster of each clustered row, in the order of `rows`. */
  readonly labels: Int32Array
  readonly sizes: Int32Array
  /** Sum of squared distances of the rows to their centres. */
  readonly inertia: number
  /** Assignment steps run (sklearn's n_iter_). */
  readonly iterations: number
  /** Whether an assignment step left every row where it was. */
  readonly converged: boolean
}

function squaredDistance(
  data: Float32Array | Float64Array,
  offset: number,
  centres: Float64Array,
  c: number,
  d: number,
): number {
  let s = 0
  const o = c * d
  for (let j = 0; j < d; j++) {
    const diff = data[offset + j]! - centres[o + j]!
    s += diff * diff
  }
  return s
}

/**
 * k-means++ seeding in its greedy form (Arthur & Vassilvitskii 2007; scikit-learn's default):
 * the first centre is a uniform draw; each next one is the best, by the resulting sum of squared
 * distances, of 2 + floor(ln k) candidates drawn with probability proportional to the squared
 * distance to the nearest centre so far [KM1].
 */
function kmeansPlusPlus(x: FeatureMatrix, rows: Int32Array, k: number, rng: Rng): number[] {
  const { data, cols: d } = x
  const n = rows.length
  const chosen = [rng.int(n)]
  const best = new Float64Array(n)
  const centre = Float64Array.from(data.subarray(rows[chosen[0]!]! * d, rows[chosen[0]!]! * d + d))
  for (let r = 0; r < n; r++) best[r] = squaredDistance(data, rows[r]! * d, centre, 0, d)
  const trials = 2 + Math.floor(Math.log(k))
  const cumulative = new Float64Array(n)
  const candidate = new Float64Array(n)
  const keep = new Float64Array(n)
  while (chosen.length < k) {
    let total = 0
    for (let r = 0; r < n; r++) cumulative[r] = total += best[r]!
    let bestPotential = Infinity
    let bestRow = -1
    for (let t = 0; t < trials; t++) {
      // a row with probability best[r] / total (uniform when every row sits on a centre)
      const u = rng.next() * total
      let low = 0
      let high = n - 1
      while (low < high) {
        const mid = (low + high) >>> 1
        if (cumulative[mid]! <= u) low = mid + 1
        else high = mid
      }
      const row = total > 0 ? low : rng.int(n)
      const o = rows[row]! * d
      centre.set(data.subarray(o, o + d))
      let potential = 0
      for (let r = 0; r < n; r++) {
        candidate[r] = Math.min(best[r]!, squaredDistance(data, rows[r]! * d, centre, 0, d))
        potential += candidate[r]!
      }
      if (potential < bestPotential) {
        bestPotential = potential
        bestRow = row
        keep.set(candidate)
      }
    }
    chosen.push(bestRow)
    best.set(keep)
  }
  return chosen
}

/**
 * Seeded k-means [KM1]-[KM2]: k-means++ start, then Lloyd's iterations (assign each row to its
 * nearest centre, ties to the lower cluster; move each centre to the mean of its rows) until an
 * assignment changes nothing or `maxIterations`. An empty cluster takes the row farthest from
 * its centre (as scikit-learn does). The same seed gives the same clusters.
 */
export function kMeans(x: FeatureMatrix, o: KMeansOptions): KMeansResult {
  const rows = o.rows ?? allRows(x.rows)
  const n = rows.length
  const { data, cols: d } = x
  const k = o.k
  if (!Number.isInteger(k) || k < 1)
    throw new LearnInputError(`k must be a whole number >= 1, got ${k}`)
  if (n < k) throw new LearnInputError(`${k} clusters need at least ${k} rows, got ${n}`)
  const start = o.initialRows ?? kmeansPlusPlus(x, rows, k, createRng(o.seed))
  if (start.length !== k) throw new LearnInputError(`${k} clusters need ${k} starting rows`)
  const centres = new Float64Array(k * d)
  start.forEach((r, c) => {
    if (!(r >= 0 && r < n))
      throw new LearnInputError(`starting row ${r} is not among the ${n} rows`)
    for (let j = 0; j < d; j++) centres[c * d + j] = data[rows[r]! * d + j]!
  })
  const labels = new Int32Array(n).fill(-1)
  const distance = new Float64Array(n)
  const sizes = new Int32Array(k)
  const maxIterations = o.maxIterations ?? 300
  let iterations = 0
  let converged = false
  while (iterations < maxIterations) {
    iterations++
    const changed = assign(x, rows, centres, k, labels, distance)
    if (!changed) {
      converged = true
      break
    }
    updateCentres(x, rows, labels, distance, centres, sizes, k)
  }
  // stopped by maxIterations: the last step moved the centres, so assign once more (as sklearn)
  if (!converged) assign(x, rows, centres, k, labels, distance)
  sizes.fill(0)
  let inertia = 0
  for (let r = 0; r < n; r++) {
    sizes[labels[r]!]!++
    inertia += distance[r]!
  }
  return { k, centres, labels, sizes, inertia, iterations, converged }
}

/** Each row to its nearest centre (ties to the lower cluster); whether any row moved. */
function assign(
  x: FeatureMatrix,
  rows: Int32Array,
  centres: Float64Array,
  k: number,
  labels: Int32Array,
  distance: Float64Array,
): boolean {
  const { data, cols: d } = x
  let changed = false
  for (let r = 0; r < rows.length; r++) {
    const offset = rows[r]! * d
    let best = 0
    let bestDistance = squaredDistance(data, offset, centres, 0, d)
    for (let c = 1; c < k; c++) {
      const dist = squaredDistance(data, offset, centres, c, d)
      if (dist < bestDistance) {
        bestDistance = dist
        best = c
      }
    }
    if (labels[r] !== best) changed = true
    labels[r] = best
    distance[r] = bestDistance
  }
  return changed
}

function updateCentres(
  x: FeatureMatrix,
  rows: Int32Array,
  labels: Int32Array,
  distance: Float64Array,
  centres: Float64Array,
  sizes: Int32Array,
  k: number,
): void {
  const { data, cols: d } = x
  const n = rows.length
  sizes.fill(0)
  for (let r = 0; r < n; r++) sizes[labels[r]!]!++
  // an empty cluster takes the row farthest from its centre (a row not already moved)
  const taken = new Set<number>()
  for (let c = 0; c < k; c++) {
    if (sizes[c]! > 0) continue
    let far = -1
    for (let r = 0; r < n; r++) {
      if (taken.has(r) || sizes[labels[r]!]! <= 1) continue
      if (far < 0 || distance[r]! > distance[far]!) far = r
    }
    if (far < 0) continue
    taken.add(far)
    sizes[labels[far]!]!--
    labels[far] = c
    distance[far] = 0
    sizes[c] = 1
  }
  centres.fill(0)
  for (let r = 0; r < n; r++) {
    const o = rows[r]! * d
    const c = labels[r]! * d
    for (let j = 0; j < d; j++) centres[c + j]! += data[o + j]!
  }
  for (let c = 0; c < k; c++) {
    const size = sizes[c]!
    if (size > 0) for (let j = 0; j < d; j++) centres[c * d + j]! /= size
  }
}
