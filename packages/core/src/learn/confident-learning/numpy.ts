/**
 * The few numpy behaviours cleanlab's results depend on, reproduced bit for bit [CL9]: numpy's
 * pairwise summation (its add.reduce on contiguous float64), rounding half to even (np.round),
 * and np.argsort's default introsort, whose order of tied values is part of cleanlab's output
 * (which of two equally scored rows is flagged first, or at all).
 */

/** numpy's pairwise_sum (numpy/core/src/umath/loops_utils.h.src) over values[start, start + n). */
export function pairwiseSum(
  values: ArrayLike<number>,
  start = 0,
  n = values.length - start,
): number {
  if (n < 8) {
    let s = -0
    for (let i = 0; i < n; i++) s += values[start + i]!
    return s
  }
  if (n <= 128) {
    const r = [0, 1, 2, 3, 4, 5, 6, 7].map((k) => values[start + k]!)
    let i = 8
    for (; i < n - (n % 8); i += 8) {
      for (let k = 0; k < 8; k++) r[k]! += values[start + i + k]!
    }
    let s = r[0]! + r[1]! + (r[2]! + r[3]!) + (r[4]! + r[5]! + (r[6]! + r[7]!))
    for (; i < n; i++) s += values[start + i]!
    return s
  }
  let half = Math.floor(n / 2)
  half -= half % 8
  return pairwiseSum(values, start, half) + pairwiseSum(values, start + half, n - half)
}

/** np.round(x): to the nearest integer, halves to even. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x)
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r
}

/** Indices 0..n-1 sorted by key ascending, ties in index order. */
export function argsortStable(keys: ArrayLike<number>): Int32Array {
  const out = Int32Array.from({ length: keys.length }, (_, i) => i)
  return out.sort((a, b) => keys[a]! - keys[b]! || a - b)
}

const SMALL_QUICKSORT = 15

/**
 * np.argsort(keys) with its default kind, 'quicksort': numpy's introsort `aquicksort_`
 * (numpy/core/src/npysort/quicksort.cpp) for float64 without NaN, step for step: median-of-3
 * quicksort partitions down to 16 elements, insertion sort below, heapsort past a depth of
 * 2 floor(log2 n). Ties come out in the order that algorithm leaves them.
 */
export function argsortNumpy(keys: Float64Array): Int32Array {
  const num = keys.length
  const t = new Int32Array(num)
  for (let i = 0; i < num; i++) t[i] = i
  const v = keys
  const swap = (a: number, b: number): void => {
    const tmp = t[a]!
    t[a] = t[b]!
    t[b] = tmp
  }
  const stack: number[] = []
  const depths: number[] = []
  let pl = 0
  let pr = num - 1
  let cdepth = num > 0 ? Math.floor(Math.log2(num)) * 2 : 0
  for (;;) {
    if (cdepth < 0) heapsortRange(v, t, pl, pr - pl + 1)
    else {
      while (pr - pl > SMALL_QUICKSORT) {
        const pm = pl + ((pr - pl) >> 1)
        if (v[t[pm]!]! < v[t[pl]!]!) swap(pm, pl)
        if (v[t[pr]!]! < v[t[pm]!]!) swap(pr, pm)
        if (v[t[pm]!]! < v[t[pl]!]!) swap(pm, pl)
        const vp = v[t[pm]!]!
        let pi = pl
        let pj = pr - 1
        swap(pm, pj)
        for (;;) {
          do ++pi
          while (v[t[pi]!]! < vp)
          do --pj
          while (vp < v[t[pj]!]!)
          if (pi >= pj) break
          swap(pi, pj)
        }
        swap(pi, pr - 1)
        // the larger part waits on the stack
        if (pi - pl < pr - pi) {
          stack.push(pi + 1, pr)
          pr = pi - 1
        } else {
          stack.push(pl, pi - 1)
          pl = pi + 1
        }
        depths.push(--cdepth)
      }
      for (let pi = pl + 1; pi <= pr; ++pi) {
        const vi = t[pi]!
        const vp = v[vi]!
        let pj = pi
        while (pj > pl && vp < v[t[pj - 1]!]!) {
          t[pj] = t[pj - 1]!
          pj--
        }
        t[pj] = vi
      }
    }
    if (stack.length === 0) break
    pr = stack.pop()!
    pl = stack.pop()!
    cdepth = depths.pop()!
  }
  return t
}

/** numpy's `aheapsort_` on t[start, start + n) (1-based heap over the slice). */
function heapsortRange(v: Float64Array, t: Int32Array, start: number, n: number): void {
  const a = (i: number): number => t[start + i - 1]!
  const set = (i: number, value: number): void => {
    t[start + i - 1] = value
  }
  for (let l = n >> 1; l > 0; --l) {
    const tmp = a(l)
    let i = l
    for (let j = l << 1; j <= n;) {
      if (j < n && v[a(j)]! < v[a(j + 1)]!) j += 1
      if (v[tmp]! < v[a(j)]!) {
        set(i, a(j))
        i = j
        j += j
      } else break
    }
    set(i, tmp)
  }
  for (; n > 1;) {
    const tmp = a(n)
    set(n, a(1))
    n -= 1
    let i = 1
    for (let j = 2; j <= n;) {
      if (j < n && v[a(j)]! < v[a(j + 1)]!) j++
      if (v[tmp]! < v[a(j)]!) {
        set(i, a(j))
        i = j
        j += j
      } else break
    }
    set(i, tmp)
  }
}

/**
 * The positions of the first `count` entries of np.argsort(keys) (in no particular order). When
 * no tie straddles the count-th smallest value the set is fixed by the values alone, found with
 * one native sort; otherwise numpy's introsort is replayed to see which tied entries come first.
 */
export function firstOfArgsort(keys: Float64Array, count: number): Int32Array {
  const n = keys.length
  if (count <= 0) return new Int32Array(0)
  if (count >= n) return argsortNumpy(keys)
  const work = Float64Array.from(keys)
  select(work, count - 1)
  const boundary = work[count - 1]!
  let next = Infinity
  for (let i = count; i < n; i++) if (work[i]! < next) next = work[i]!
  if (next === boundary) return argsortNumpy(keys).subarray(0, count)
  const out = new Int32Array(count)
  let filled = 0
  for (let i = 0; i < n; i++) if (keys[i]! <= boundary) out[filled++] = i
  return out
}

/** Reorders `a` so that a[k] is the k-th smallest, smaller ones before it, larger after (Hoare). */
function select(a: Float64Array, k: number): void {
  let left = 0
  let right = a.length - 1
  while (right > left) {
    const pivot = a[(left + right) >>> 1]!
    let i = left
    let j = right
    while (i <= j) {
      while (a[i]! < pivot) i++
      while (a[j]! > pivot) j--
      if (i <= j) {
        const t = a[i]!
        a[i] = a[j]!
        a[j] = t
        i++
        j--
      }
    }
    if (k <= j) right = j
    else if (k >= i) left = i
    else return
  }
}
