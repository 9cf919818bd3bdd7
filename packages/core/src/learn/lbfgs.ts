/**
 * Limited-memory BFGS (Liu & Nocedal 1989; Nocedal & Wright, Numerical Optimization, 2nd ed.,
 * algorithms 7.4 and 7.5) for smooth convex objectives. For a strictly convex function every
 * step satisfies s'y > 0, so a backtracking (Armijo) line search keeps the quasi-Newton update
 * well defined and no Wolfe curvature test is needed.
 */

/** Computes f(x) and writes its gradient into `gradient`. */
export type Objective = (x: Float64Array, gradient: Float64Array) => number

export interface LbfgsOptions {
  /** Stop when max |gradient| <= tolerance. */
  readonly tolerance: number
  readonly maxIterations: number
  /** Correction pairs kept (scipy's default 10). */
  readonly memory?: number | undefined
  /**
   * Applies an approximate inverse Hessian H0 in place (the initial matrix of the two-loop
   * recursion). It changes the path, never the minimiser. Default: the scaled identity.
   */
  readonly precondition?: ((v: Float64Array) => void) | undefined
}

export interface LbfgsResult {
  readonly x: Float64Array
  readonly value: number
  readonly gradientMaxAbs: number
  readonly iterations: number
  /** Objective evaluations (line-search trials included). */
  readonly evaluations: number
  /** Whether the gradient tolerance was reached (false: iterations ran out, or no progress). */
  readonly converged: boolean
}

const ARMIJO = 1e-4

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!
  return s
}

function maxAbs(a: Float64Array): number {
  let m = 0
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!))
  return m
}

/** Minimises a convex `objective` from `start` (not changed). */
export function lbfgs(objective: Objective, start: Float64Array, o: LbfgsOptions): LbfgsResult {
  const n = start.length
  const m = o.memory ?? 10
  const x = Float64Array.from(start)
  const g = new Float64Array(n)
  const trial = new Float64Array(n)
  const gTrial = new Float64Array(n)
  const direction = new Float64Array(n)
  const s: Float64Array[] = []
  const y: Float64Array[] = []
  const rho: number[] = []
  const alpha = new Float64Array(m)
  let f = objective(x, g)
  let evaluations = 1
  let gMax = maxAbs(g)
  let iterations = 0
  let stalled = 0
  while (gMax > o.tolerance && iterations < o.maxIterations) {
    // two-loop recursion: direction = -H g
    for (let i = 0; i < n; i++) direction[i] = -g[i]!
    const k = s.length
    for (let j = k - 1; j >= 0; j--) {
      const a = rho[j]! * dot(s[j]!, direction)
      alpha[j] = a
      const yj = y[j]!
      for (let i = 0; i < n; i++) direction[i]! -= a * yj[i]!
    }
    if (o.precondition !== undefined) o.precondition(direction)
    else if (k > 0) {
      const gamma = dot(s[k - 1]!, y[k - 1]!) / dot(y[k - 1]!, y[k - 1]!)
      for (let i = 0; i < n; i++) direction[i]! *= gamma
    }
    for (let j = 0; j < k; j++) {
      const b = rho[j]! * dot(y[j]!, direction)
      const sj = s[j]!
      const c = alpha[j]! - b
      for (let i = 0; i < n; i++) direction[i]! += c * sj[i]!
    }
    let slope = dot(g, direction)
    if (!(slope < 0)) {
      // not a descent direction (round-off): forget the curvature pairs, go downhill
      s.length = y.length = rho.length = 0
      for (let i = 0; i < n; i++) direction[i] = -g[i]!
      slope = -dot(g, g)
    }
    // the first step has no curvature information: keep its length at most 1
    let step = k === 0 && o.precondition === undefined ? Math.min(1, 1 / Math.sqrt(-slope)) : 1
    let fTrial = Infinity
    let accepted = false
    // 40 halvings at least: past that the step is below round-off of x
    for (let tries = 0; tries < 40; tries++) {
      for (let i = 0; i < n; i++) trial[i] = x[i]! + step * direction[i]!
      fTrial = objective(trial, gTrial)
      evaluations++
      if (fTrial <= f + ARMIJO * step * slope) {
        accepted = true
        break
      }
      // minimum of the quadratic through f, slope and fTrial, kept within [0.1, 0.5] of step
      const q = (-slope * step * step) / (2 * (fTrial - f - slope * step))
      step = Number.isFinite(q) ? Math.min(Math.max(q, 0.1 * step), 0.5 * step) : 0.5 * step
    }
    if (!accepted) break
    iterations++
    const sNew = new Float64Array(n)
    const yNew = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      sNew[i] = trial[i]! - x[i]!
      yNew[i] = gTrial[i]! - g[i]!
    }
    const sy = dot(sNew, yNew)
    if (sy > 1e-300) {
      if (s.length === m) {
        s.shift()
        y.shift()
        rho.shift()
      }
      s.push(sNew)
      y.push(yNew)
      rho.push(1 / sy)
    }
    x.set(trial)
    g.set(gTrial)
    // three steps in a row that change f only at round-off level: the tolerance is out of reach
    stalled = f - fTrial <= 4e-16 * Math.max(Math.abs(f), 1) ? stalled + 1 : 0
    f = fTrial
    gMax = maxAbs(g)
    if (stalled >= 3) break
  }
  return {
    x,
    value: f,
    gradientMaxAbs: gMax,
    iterations,
    evaluations,
    converged: gMax <= o.tolerance,
  }
}
