import { describeFilters } from '@cxr-audit/core'
import { getAudit, listAudits, type AuditSummary } from './audits.ts'
import { StoreError, type Db } from './store.ts'

/** Where a design's figures come from [W38], [W39]. */
export type DesignSource = 'recorded' | 'derived from the stored plan' | 'not recorded'

/** How the films of an audit were chosen [W38]. */
export type DrawnBy = 'random' | 'model score' | 'embedding clusters' | 'not recorded'

/** One stratum of an audit: a finding's labelled positives or labelled negatives [W38]. */
export interface DesignStratum {
  readonly finding: string
  readonly findingId: number
  readonly stratum: 'positive' | 'negative'
  /** The original label of the stratum's films: 1 or 0. */
  readonly label: number
  /** Films of the stratum in the dataset (on disk, through the filters); null: not recorded. */
  readonly datasetFilms: number | null
  /** Units that could be drawn (films, or patients one per patient); null: not recorded. */
  readonly available: number | null
  readonly asked: number | null
  /** Films of the stratum in the sample. */
  readonly sampleFilms: number
}

/** How an audit was drawn, as `audit show --json` prints it [W38], [W39]. */
export interface AuditDesign {
  readonly drawnBy: DrawnBy
  /** The plan's kind: `random` for `audit create`, else `label-issues`, `model-gallery`, ... */
  readonly kind: string
  readonly seed: number | null
  readonly sampler: string | null
  /** The sampling unit: a film, or a patient (one film per patient). */
  readonly unit: 'film' | 'patient' | null
  readonly filters: string[]
  readonly negativesFrom: 'all' | 'no-finding'
  readonly strata: DesignStratum[]
  /** Stratum sizes: recorded at the draw (old plans hold them too), or not recorded. */
  readonly strataSource: DesignSource
  /** Each film's inclusion probability: recorded, derived (drawn / available), or not. */
  readonly weights: DesignSource
  /** Whether the audit's verdicts may enter population estimates [L26]. */
  readonly population: boolean
  /** One sentence on the design, for people. */
  readonly summary: string
}

/** A drawn film with its stratum and inclusion probability (null: not recorded). */
export interface DesignItem {
  readonly imageId: number
  readonly findingId: number
  readonly label: number
  readonly inclusion: number | null
}

interface StoredDraw {
  finding: string
  positives?: { asked?: number; available?: number; drawn?: number; datasetFilms?: number }
  negatives?: { asked?: number; available?: number; drawn?: number; datasetFilms?: number }
}

function drawnByOf(kind: string): DrawnBy {
  if (kind === 'random') return 'random'
  if (kind === 'label-issues' || kind === 'model-gallery') return 'model score'
  if (kind === 'clusters') return 'embedding clusters'
  return 'not recorded'
}

/** The films of an audit with their label and recorded inclusion probability. */
export async function auditDesignItems(db: Db, auditId: number): Promise<DesignItem[]> {
  const rows = await db
    .selectFrom('audit_item')
    .select(['image_id', 'finding_id', 'labelled', 'inclusion'])
    .where('audit_id', '=', auditId)
    .orderBy('position')
    .execute()
  return rows.map((r) => ({
    imageId: r.image_id,
    findingId: r.finding_id,
    label: r.labelled,
    inclusion: r.inclusion === null ? null : Number(r.inclusion),
  }))
}

/**
 * The design of an audit and its films with inclusion probabilities [W38], [W39]: recorded at
 * the draw since migration 014; for audits drawn before, derived where the plan allows (films
 * drawn at random, several per patient allowed: drawn / available), else "not recorded" (one
 * film per patient needs each patient's film count, which the old plan did not keep).
 */
export function designOf(
  a: AuditSummary,
  items: readonly DesignItem[],
): { design: AuditDesign; items: DesignItem[] } {
  const plan = a.plan as AuditSummary['plan'] & { kind?: string }
  const kind = plan.kind ?? 'random'
  const drawnBy = drawnByOf(kind)
  const random = drawnBy === 'random'
  const draw = (Array.isArray(plan.draw) ? plan.draw : []) as StoredDraw[]
  const strata: DesignStratum[] = []
  for (const f of a.findings) {
    const d = draw.find((x) => x.finding === f.name)
    for (const [stratum, label, s] of [
      ['positive', 1, d?.positives],
      ['negative', 0, d?.negatives],
    ] as const) {
      const sampleFilms = items.filter(
        (i) => i.findingId === f.findingId && i.label === label,
      ).length
      if (sampleFilms === 0 && (s?.drawn ?? 0) === 0 && (s?.asked ?? 0) === 0) continue
      strata.push({
        finding: f.name,
        findingId: f.findingId,
        stratum,
        label,
        datasetFilms:
          s?.datasetFilms ?? (random && !plan.onePerPatient ? (s?.available ?? null) : null),
        available: s?.available ?? null,
        asked: s?.asked ?? null,
        sampleFilms,
      })
    }
  }
  const recorded = items.length > 0 && items.every((i) => i.inclusion !== null)
  const derivable = random && !plan.onePerPatient && strata.every((s) => s.available !== null)
  const weights: DesignSource = !random
    ? 'not recorded'
    : recorded
      ? 'recorded'
      : derivable
        ? 'derived from the stored plan'
        : 'not recorded'
  const out =
    weights === 'derived from the stored plan'
      ? items.map((i) => {
          const s = strata.find((x) => x.findingId === i.findingId && x.label === i.label)!
          return { ...i, inclusion: s.sampleFilms / s.available! }
        })
      : [...items]
  const unit =
    typeof plan.onePerPatient === 'boolean' ? (plan.onePerPatient ? 'patient' : 'film') : null
  const design: AuditDesign = {
    drawnBy,
    kind,
    seed: random ? a.seed : null,
    sampler: typeof plan.sampler === 'string' ? plan.sampler : null,
    unit,
    filters: plan.filters === undefined ? [] : describeFilters(plan.filters),
    negativesFrom: plan.negativesFrom ?? 'all',
    strata,
    strataSource: draw.length > 0 ? 'recorded' : 'not recorded',
    weights,
    population: random && weights !== 'not recorded',
    summary: summaryOf(drawnBy, a, unit, weights),
  }
  return { design, items: out }
}

function summaryOf(
  drawnBy: DrawnBy,
  a: AuditSummary,
  unit: 'film' | 'patient' | null,
  weights: DesignSource,
): string {
  if (drawnBy === 'model score')
    return 'Films chosen by a model score (label-issue ranks or error-gallery cells): not a random sample; left out of population estimates.'
  if (drawnBy === 'embedding clusters')
    return 'Films chosen closest to embedding-cluster centres: not a random sample; left out of population estimates.'
  if (drawnBy === 'not recorded') return 'How the films were chosen is not recorded.'
  return `Stratified random sample (finding x labelled positive/negative${a.plan.negativesFrom === 'no-finding' ? ', negatives from No Finding films' : ''}), seed ${a.seed}, ${unit === 'patient' ? 'one film per patient' : 'films drawn without replacement'}; inclusion probabilities ${weights}.`
}

/** The design of one audit and its films [W38]. */
export async function auditDesign(
  db: Db,
  auditId: number,
): Promise<{ audit: AuditSummary; design: AuditDesign; items: DesignItem[] }> {
  const a = await getAudit(db, auditId)
  if (a === undefined) throw new StoreError(`no audit ${auditId}`)
  return { audit: a, ...designOf(a, await auditDesignItems(db, auditId)) }
}

/** An audit by id or by name (the name unique across datasets, or within `datasetId`). */
export async function findAudit(db: Db, text: string, datasetId?: number): Promise<AuditSummary> {
  const all = await listAudits(db, datasetId)
  const t = text.trim()
  const byId = /^\d+$/.test(t) ? all.find((a) => a.id === Number(t)) : undefined
  if (byId !== undefined) return byId
  const named = all.filter((a) => a.name === t)
  if (named.length === 1) return named[0]!
  if (named.length > 1)
    throw new StoreError(`several audits are named "${t}": give its id or --dataset`)
  throw new StoreError(
    `no audit "${t}" (${
      all.length === 0
        ? 'no audits yet'
        : `audits: ${all
            .map((a) => `${a.id} "${a.name}"`)
            .slice(0, 12)
            .join(', ')}`
    })`,
  )
}
