import betaQuantileImpl from '@stdlib/stats-base-dists-beta-quantile'
import chiSquareCdfImpl from '@stdlib/stats-base-dists-chisquare-cdf'
import normalQuantileImpl from '@stdlib/stats-base-dists-normal-quantile'

/** The standard normal quantile (stdlib; agrees with SciPy's `norm.ppf` to 1e-16). */
export function normalQuantile(p: number): number {
  return normalQuantileImpl(p, 0, 1)
}

/** The two-sided critical value z with P(|Z| <= z) = confidence, e.g. 1.959964 for 0.95. */
export function zCritical(confidence: number): number {
  return -normalQuantile((1 - confidence) / 2)
}

/** The Beta(a, b) quantile (stdlib; agrees with SciPy's `beta.ppf`). */
export function betaQuantile(p: number, a: number, b: number): number {
  return betaQuantileImpl(p, a, b)
}

/**
 * P(X > x) for X ~ chi-square(df), as 1 - CDF (stdlib): exact to about 1e-16 absolute, so values
 * below that read as 0 (docs/SPEC-stats.md [S20]).
 */
export function chiSquareSurvival(x: number, df: number): number {
  return Math.max(0, 1 - chiSquareCdfImpl(x, df))
}

/** The two-sided normal p-value 2 P(Z > |z|) = P(chi-square(1) > z^2). */
export function normalTwoSidedP(z: number): number {
  if (Number.isNaN(z)) return Number.NaN
  if (!Number.isFinite(z)) return 0
  return chiSquareSurvival(z * z, 1)
}

/**
 * The two-sided Student t p-value 2 P(T_df > |t|) = I_{df/(df+t^2)}(df/2, 1/2), with the
 * regularised incomplete beta function below; df may be fractional (Welch).
 */
export function studentTwoSidedP(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return Number.NaN
  if (!Number.isFinite(t)) return 0
  const t2 = t * t
  // x = df/(df+t^2) and 1 - x = t^2/(df+t^2), each computed directly to avoid cancellation.
  return regularizedBeta(df / (df + t2), t2 / (df + t2), df / 2, 0.5)
}

// Lanczos approximation (g = 7, n = 9), relative error below 1e-15 for x > 0.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
]

/** ln Gamma(x) for x > 0 (Lanczos 1964). */
export function logGamma(x: number): number {
  if (x < 0.5) {
    // Reflection: Gamma(x) Gamma(1 - x) = pi / sin(pi x).
    return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x)
  }
  const y = x - 1
  let sum = LANCZOS[0] as number
  for (let i = 1; i < LANCZOS.length; i++) sum += (LANCZOS[i] as number) / (y + i)
  const t = y + 7.5
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(sum)
}

/**
 * The regularised incomplete beta I_x(a, b), given x and 1 - x separately for precision; the
 * continued fraction evaluated by the modified Lentz method (Press et al., Numerical Recipes,
 * 3rd ed., section 6.4), using the symmetry I_x(a, b) = 1 - I_{1-x}(b, a) where it converges
 * faster.
 */
export function regularizedBeta(x: number, oneMinusX: number, a: number, b: number): number {
  if (x <= 0) return 0
  if (oneMinusX <= 0) return 1
  const logFront =
    a * Math.log(x) + b * Math.log(oneMinusX) - (logGamma(a) + logGamma(b) - logGamma(a + b))
  if (x < (a + 1) / (a + b + 2)) {
    return (Math.exp(logFront) * betaContinuedFraction(x, a, b)) / a
  }
  return 1 - (Math.exp(logFront) * betaContinuedFraction(oneMinusX, b, a)) / b
}

const TINY = 1e-300

function betaContinuedFraction(x: number, a: number, b: number): number {
  const qab = a + b
  const qap = a + 1
  const qam = a - 1
  let c = 1
  let d = 1 - (qab * x) / qap
  if (Math.abs(d) < TINY) d = TINY
  d = 1 / d
  let h = d
  for (let m = 1; m <= 100000; m++) {
    const m2 = 2 * m
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2))
    d = 1 + aa * d
    if (Math.abs(d) < TINY) d = TINY
    c = 1 + aa / c
    if (Math.abs(c) < TINY) c = TINY
    d = 1 / d
    h *= d * c
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2))
    d = 1 + aa * d
    if (Math.abs(d) < TINY) d = TINY
    c = 1 + aa / c
    if (Math.abs(c) < TINY) c = TINY
    d = 1 / d
    const delta = d * c
    h *= delta
    if (Math.abs(delta - 1) < 1e-16) return h
  }
  return h
}
