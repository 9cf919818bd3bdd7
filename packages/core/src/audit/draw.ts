import { createRng, sampleWithoutReplacement, shuffle, type Rng } from '../random.ts'
import { AuditInputError } from './errors.ts'
import type { AuditPlan } from './plan.ts'

/** An image that may be drawn for one finding: on disk, through the filters. */
export interface Candidate {
  readonly imageId: number
  /** The image name; candidates are ordered by it, so ids never change a draw [W3]. */
  readonly name: string
  readonly patient: string
  /** The original label of this finding: 1 positive, 0 negative, -1 uncertain (never drawn). */
  readonly label: number
}

export interface FindingPool {
  readonly finding: string
  readonly candidates: readonly Candidate[]
}

/** One drawn image for one finding, in review order. */
export interface DrawnItem {
  readonly finding: string
  readonly imageId: number
  readonly name: string
  /** The original label at draw time: 1 or 0. */
  readonly labelled: number
  /**
   * The probability that this film was drawn in its stratum [W38]: k / N at random among N
   * films, (k / P) / m one per patient (k of P patients, then one of the patient's m films).
   */
  readonly inclusion: number
}

export interface StratumReport {
  readonly asked: number
  /** Images (or patients, one per patient) that could be drawn. */
  readonly available: number
  readonly drawn: number
  /** Films that could be drawn (= available unless one per patient) [W38]. */
  readonly films?: number
  /** Films of the stratum in the dataset (on disk, through the filters), before excluding the
   * patients already drawn among the finding's positives [W38]. */
  readonly datasetFilms?: number
}

export interface FindingDrawReport {
  readonly finding: string
  readonly positives: StratumReport
  readonly negatives: StratumReport
}

export interface AuditDraw {
  readonly items: DrawnItem[]
  readonly findings: FindingDrawReport[]
  /** Sentences for the user: every stratum that asked for more than there was [W6]. */
  readonly notes: string[]
}

/**
 * The generator of one stratum: seeded by the audit seed, the finding and the stratum, so the
 * sample of a finding does not depend on which other findings the audit holds [W3].
 */
export function stratumRng(seed: number, finding: string, stratum: string): Rng {
  return createRng(`${seed}:${finding}:${stratum}`)
}

const byName = (a: Candidate, b: Candidate): number =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : a.imageId - b.imageId

/**
 * Draws k candidates. One per patient: the patients (in the order of their first image by
 * name) are drawn without replacement, then one of each drawn patient's images uniformly [W4].
 */
function drawStratum(
  pool: readonly Candidate[],
  k: number,
  rng: Rng,
  onePerPatient: boolean,
  excludePatients: ReadonlySet<string>,
): { drawn: Candidate[]; inclusion: number[]; available: number; films: number } {
  const eligible = pool.filter((c) => !excludePatients.has(c.patient))
  if (!onePerPatient) {
    const n = Math.min(k, eligible.length)
    const drawn = sampleWithoutReplacement(eligible, n, rng)
    return {
      drawn,
      inclusion: drawn.map(() => n / eligible.length),
      available: eligible.length,
      films: eligible.length,
    }
  }
  const byPatient = new Map<string, Candidate[]>()
  for (const c of eligible) {
    const list = byPatient.get(c.patient)
    if (list === undefined) byPatient.set(c.patient, [c])
    else list.push(c)
  }
  const patients = [...byPatient.keys()]
  const n = Math.min(k, patients.length)
  const chosen = sampleWithoutReplacement(patients, n, rng)
  const inclusion: number[] = []
  const drawn = chosen.map((p) => {
    const images = byPatient.get(p)!
    inclusion.push(n / patients.length / images.length)
    return images.length === 1 ? images[0]! : images[rng.int(images.length)]!
  })
  return { drawn, inclusion, available: patients.length, films: eligible.length }
}

/**
 * The seeded, reproducible sample of an audit [W3]: per finding, `positives` labelled positives
 * and `negatives` labelled negatives drawn without replacement from the candidates (images on
 * disk through the filters). A stratum asking for more than there is takes all and says so [W6].
 * One image per patient unless the plan says otherwise, and never the same patient among the
 * positives and the negatives of one finding [W4]. Unblinded, a finding's positives come before
 * its negatives; blinded, they are shuffled together so the order gives nothing away [W7].
 * A finding with nothing to draw is refused [W8].
 */
export function drawAudit(pools: readonly FindingPool[], plan: AuditPlan): AuditDraw {
  const items: DrawnItem[] = []
  const reports: FindingDrawReport[] = []
  const notes: string[] = []
  const empty: string[] = []
  for (const { finding, candidates } of pools) {
    const sorted = [...candidates].sort(byName)
    const pos = sorted.filter((c) => c.label === 1)
    const neg = sorted.filter((c) => c.label === 0)
    const p = drawStratum(
      pos,
      plan.positives,
      stratumRng(plan.seed, finding, 'positives'),
      plan.onePerPatient,
      new Set(),
    )
    const taken = new Set(p.drawn.map((c) => c.patient))
    const n = drawStratum(
      neg,
      plan.negatives,
      stratumRng(plan.seed, finding, 'negatives'),
      plan.onePerPatient,
      plan.onePerPatient ? taken : new Set(),
    )
    const unit = plan.onePerPatient ? 'patients' : 'images'
    for (const [what, asked, got] of [
      ['positives', plan.positives, p],
      ['negatives', plan.negatives, n],
    ] as const) {
      if (asked > got.available)
        notes.push(
          `${finding}: asked for ${asked} labelled ${what}, only ${got.available} ${unit} on disk match: took all ${got.available}`,
        )
    }
    reports.push({
      finding,
      positives: {
        asked: plan.positives,
        available: p.available,
        drawn: p.drawn.length,
        films: p.films,
        datasetFilms: pos.length,
      },
      negatives: {
        asked: plan.negatives,
        available: n.available,
        drawn: n.drawn.length,
        films: n.films,
        datasetFilms: neg.length,
      },
    })
    if (p.drawn.length + n.drawn.length === 0) {
      empty.push(
        `${finding} (${pos.length} labelled positives and ${neg.length} labelled negatives on disk match the filters)`,
      )
      continue
    }
    const toItem = (c: Candidate, labelled: number, inclusion: number): DrawnItem => ({
      finding,
      imageId: c.imageId,
      name: c.name,
      labelled,
      inclusion,
    })
    const ordered = [
      ...p.drawn.map((c, i) => toItem(c, 1, p.inclusion[i]!)),
      ...n.drawn.map((c, i) => toItem(c, 0, n.inclusion[i]!)),
    ]
    items.push(
      ...(plan.blinded ? shuffle(ordered, stratumRng(plan.seed, finding, 'order')) : ordered),
    )
  }
  if (empty.length > 0) {
    throw new AuditInputError(
      `nothing to review for ${empty.join('; ')}: no image on disk can be drawn (asked ${plan.positives} positives and ${plan.negatives} negatives per finding)`,
    )
  }
  return { items, findings: reports, notes }
}
