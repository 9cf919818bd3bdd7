import {
  analysisWeight,
  populationEstimates,
  type PopulationEstimates,
  type WeightedJudged,
} from '@cxr-audit/core'
import {
  auditDesignItems,
  designOf,
  type AuditDesign,
  type DesignItem,
  type DesignSource,
} from './audit-design.ts'
import { listAudits, type AuditSummary } from './audits.ts'
import type { FindingRow } from './datasets.ts'
import { loadJudgedWithPages, type Judged } from './label-data.ts'
import type { ReaderRow } from './readers.ts'
import type { Db } from './store.ts'
import { currentVerdicts, type CurrentVerdict } from './verdicts.ts'

/** The bootstrap behind every population interval [L27]. */
export interface PopulationBootstrap {
  readonly method: string
  readonly replicates: number
  readonly seed: number
  readonly confidence: number
}

export const POPULATION_METHOD =
  'Horvitz-Thompson: each judged film weighted by 1 / its inclusion probability in its stratum, times drawn / judged in the stratum; each figure a weighted proportion (= statsmodels DescrStatsW(x, weights=w).mean); prevalence, sensitivity and specificity leave uncertain verdicts out, PPV and NPV count them as not confirming (strict)'

export const POPULATION_BOOTSTRAP_METHOD =
  'stratified percentile bootstrap: each replicate resamples the judged films of every stratum (finding x labelled positive/negative) with replacement, keeping its size'

/** One stratum of a population estimate [L26]. */
export interface PopulationStratum {
  readonly stratum: 'positive' | 'negative'
  readonly datasetFilms: number | null
  readonly sampleFilms: number
  readonly judged: number
  /** The judged films' weights added up: the films they stand for. */
  readonly weightSum: number
}

/** The population estimates of one finding from one designed audit [L26]. */
export interface PopulationFinding extends PopulationEstimates {
  readonly finding: string
  readonly auditId: number
  readonly audit: string
  readonly judged: number
  readonly weights: DesignSource
  readonly strata: PopulationStratum[]
}

/** Judged films that no population figure uses, per finding, and why [L28]. */
export interface PopulationLeftOut {
  readonly finding: string
  /** Judged only in audits drawn by model score or by embedding clusters. */
  readonly drawnByScore: number
  /** Judged only in random audits whose inclusion probabilities are not recorded. */
  readonly designNotRecorded: number
  /** Judged outside any audit (imported labels, the reader's own verdicts). */
  readonly notInAudit: number
}

export interface LabelPopulationReport {
  readonly method: string
  readonly bootstrap: PopulationBootstrap
  readonly findings: PopulationFinding[]
  readonly leftOut: PopulationLeftOut[]
  /** The films left out over the findings, by reason [L28]. */
  readonly leftOutTotal: { drawnByScore: number; designNotRecorded: number; notInAudit: number }
}

export interface LabelPopulationOptions {
  readonly readers: readonly ReaderRow[]
  readonly datasetId: number
  readonly findings: readonly FindingRow[]
  readonly allFindings: readonly FindingRow[]
  /** Only this audit (else every audit of the dataset with verdicts). */
  readonly auditId?: number | undefined
  readonly seed: number
  readonly replicates: number
  readonly confidence: number
}

/** A designed audit's judged films of one finding with their analysis weights [L26]. */
export function weightJudged(
  judged: readonly Judged[],
  items: readonly DesignItem[],
  findingId: number,
): {
  weighted: (WeightedJudged & { imageId: number })[]
  strata: PopulationStratum[]
  sample: DesignItem[]
} {
  const sample = items.filter((i) => i.findingId === findingId && i.inclusion !== null)
  const byImage = new Map(sample.map((i) => [i.imageId, i]))
  const mine = judged.filter((j) => j.findingId === findingId && byImage.has(j.imageId))
  const strata: PopulationStratum[] = []
  const weighted: (WeightedJudged & { imageId: number })[] = []
  for (const [stratum, label] of [
    ['positive', 1],
    ['negative', 0],
  ] as const) {
    const drawn = sample.filter((i) => i.label === label).length
    const here = mine.filter((j) => byImage.get(j.imageId)!.label === label)
    let weightSum = 0
    for (const j of here) {
      const weight = analysisWeight(byImage.get(j.imageId)!.inclusion!, drawn, here.length)
      weightSum += weight
      weighted.push({ stratum, label, verdict: j.verdict, weight, imageId: j.imageId })
    }
    if (drawn > 0)
      strata.push({
        stratum,
        datasetFilms: null,
        sampleFilms: drawn,
        judged: here.length,
        weightSum,
      })
  }
  return { weighted, strata, sample }
}

/**
 * `stats labels --population` [L26]-[L28]: per finding and designed (random) audit, the
 * reader's verdicts reweighted to the films the audit was drawn from, with stratified bootstrap
 * intervals; films judged only in audits drawn by score, in audits without recorded weights or
 * outside audits are counted, never used.
 */
export async function labelPopulation(
  db: Db,
  o: LabelPopulationOptions,
): Promise<LabelPopulationReport> {
  const designs = await designedAudits(db, o.datasetId, o.auditId)
  const verdicts = await currentVerdicts(db, {
    readerIds: o.readers.map((r) => r.id),
    findingIds: o.findings.map((f) => f.id),
    ...(o.auditId === undefined ? {} : { auditId: o.auditId }),
  })
  const findings: PopulationFinding[] = []
  const leftOut: PopulationLeftOut[] = []
  for (const f of o.findings) {
    const used = new Set<number>()
    for (const { audit, design, items } of usableAudits(designs, verdicts, f.id)) {
      const loaded = await loadJudgedWithPages(db, {
        readers: o.readers,
        findings: [f],
        allFindings: o.allFindings,
        auditId: audit.id,
      })
      const { weighted, strata } = weightJudged(loaded.judged, items, f.id)
      if (weighted.length === 0) continue
      for (const j of weighted) used.add(j.imageId)
      findings.push({
        finding: f.name,
        auditId: audit.id,
        audit: audit.name,
        judged: weighted.length,
        weights: design.weights,
        strata: strata.map((s) => ({
          ...s,
          datasetFilms:
            design.strata.find((x) => x.findingId === f.id && x.stratum === s.stratum)
              ?.datasetFilms ?? null,
        })),
        ...populationEstimates(weighted, {
          seed: o.seed,
          replicates: o.replicates,
          confidence: o.confidence,
        }),
      })
    }
    const row = leftOutOf(f, verdicts, designs, used)
    if (row.drawnByScore + row.designNotRecorded + row.notInAudit > 0) leftOut.push(row)
  }
  return {
    method: POPULATION_METHOD,
    bootstrap: {
      method: POPULATION_BOOTSTRAP_METHOD,
      replicates: o.replicates,
      seed: o.seed,
      confidence: o.confidence,
    },
    findings,
    leftOut,
    leftOutTotal: leftOutTotal(leftOut),
  }
}

export interface DesignedAudit {
  readonly audit: AuditSummary
  readonly design: AuditDesign
  readonly items: DesignItem[]
}

/** Every audit of the dataset (or the one asked) with its design. */
export async function designedAudits(
  db: Db,
  datasetId: number,
  auditId?: number,
): Promise<Map<number, DesignedAudit>> {
  const out = new Map<number, DesignedAudit>()
  for (const a of await listAudits(db, datasetId)) {
    if (auditId !== undefined && a.id !== auditId) continue
    out.set(a.id, { audit: a, ...designOf(a, await auditDesignItems(db, a.id)) })
  }
  return out
}

/** The audits whose verdicts on the finding may enter population figures [L26]. */
export function usableAudits(
  designs: ReadonlyMap<number, DesignedAudit>,
  verdicts: readonly CurrentVerdict[],
  findingId: number,
): DesignedAudit[] {
  const judgedIn = new Set(verdicts.filter((v) => v.findingId === findingId).map((v) => v.auditId))
  return [...designs.values()].filter((d) => d.design.population && judgedIn.has(d.audit.id))
}

/** Judged films of a finding no population figure used, by reason [L28]. */
export function leftOutOf(
  f: FindingRow,
  verdicts: readonly CurrentVerdict[],
  designs: ReadonlyMap<number, DesignedAudit>,
  used: ReadonlySet<number>,
): PopulationLeftOut {
  const score = new Set<number>()
  const unrecorded = new Set<number>()
  const outside = new Set<number>()
  for (const v of verdicts) {
    if (v.findingId !== f.id || used.has(v.imageId)) continue
    const d = v.auditId === null ? undefined : designs.get(v.auditId)
    if (d === undefined) outside.add(v.imageId)
    else if (d.design.population) continue
    else if (d.design.drawnBy === 'random') unrecorded.add(v.imageId)
    else score.add(v.imageId)
  }
  for (const id of score) {
    unrecorded.delete(id)
    outside.delete(id)
  }
  for (const id of unrecorded) outside.delete(id)
  return {
    finding: f.name,
    drawnByScore: score.size,
    designNotRecorded: unrecorded.size,
    notInAudit: outside.size,
  }
}

export function leftOutTotal(
  rows: readonly PopulationLeftOut[],
): LabelPopulationReport['leftOutTotal'] {
  const sum = (k: 'drawnByScore' | 'designNotRecorded' | 'notInAudit'): number =>
    rows.reduce((s, r) => s + r[k], 0)
  return {
    drawnByScore: sum('drawnByScore'),
    designNotRecorded: sum('designNotRecorded'),
    notInAudit: sum('notInAudit'),
  }
}

/**
 * Films whose counted verdicts were all given in audits not drawn at random (label-issue
 * audits, error galleries, cluster audits), per finding id [L29]: the plain PPV pools them with
 * random audits, so `stats labels` counts them (`drawnByScore`) and warns.
 */
export async function scoreDrawnFilms(
  db: Db,
  o: {
    readonly readers: readonly ReaderRow[]
    readonly datasetId: number
    readonly findingIds: readonly number[]
    readonly auditId?: number | undefined
  },
): Promise<Map<number, Set<number>>> {
  const audits = await listAudits(db, o.datasetId)
  const byScore = new Set(
    audits
      .filter((a) => ((a.plan as { kind?: string }).kind ?? 'random') !== 'random')
      .map((a) => a.id),
  )
  const rows = await currentVerdicts(db, {
    readerIds: o.readers.map((r) => r.id),
    findingIds: [...o.findingIds],
    ...(o.auditId === undefined ? {} : { auditId: o.auditId }),
  })
  const score = new Map<string, boolean>()
  for (const r of rows) {
    const key = `${r.findingId}:${r.imageId}`
    const mine = r.auditId !== null && byScore.has(r.auditId)
    score.set(key, (score.get(key) ?? true) && mine)
  }
  const out = new Map<number, Set<number>>()
  for (const [key, only] of score) {
    if (!only) continue
    const [f, i] = key.split(':').map(Number) as [number, number]
    const set = out.get(f)
    if (set === undefined) out.set(f, new Set([i]))
    else set.add(i)
  }
  return out
}
