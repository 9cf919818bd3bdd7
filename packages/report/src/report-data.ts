import {
  checkDataset,
  type DatasetCheckReport,
  type IntervalMethod,
  type ReaderSpec,
  type Seed,
  type ThresholdSpec,
} from '@cxr-audit/core'
import {
  findDataset,
  listFindings,
  listLabelImports,
  listReaders,
  labelAccuracy,
  loadCheckInput,
  loadJudged,
  loadLabelImageFacts,
  listSourceFiles,
  readerAgreement,
  readingConditions,
  readingTimes,
  type ReadingConditionsReport,
  auditDesign,
  type AuditDesign,
  type SourceFile,
  type AgreementReport,
  type LabelAccuracyReport,
  type LabelImportRow,
  type Store,
} from '@cxr-audit/store'
import { buildModelSections, type ReportModelSection } from './report-models.ts'
import { thumbnailDataUri } from './thumbnails.ts'
import { collectVersions, type Versions } from './versions.ts'

export interface ReportOptions {
  readonly auditId?: number | undefined
  /** A reader or a consensus [L7] (instead of an audit, or one of its readers). */
  readonly reader?: ReaderSpec | undefined
  /** Readers for the agreement table (default: a consensus' members, or NAME:* readers). */
  readonly agreementReaders?: readonly string[] | undefined
  readonly agreementPrefix?: string | undefined
  readonly ci?: IntervalMethod | undefined
  /** Population estimates from the audit's design (the bootstrap's seed and size) [R11]. */
  readonly population?: { readonly seed: number; readonly replicates: number } | undefined
  readonly seed?: Seed | undefined
  readonly replicates?: number | undefined
  readonly dataset?: string | undefined
  /** Cases shown per finding and colour (default 36); the rest are counted. */
  readonly maxCases?: number | undefined
  /** Embed thumbnails of the cases on disk (default true). */
  readonly thumbnails?: boolean | undefined
  /** Models evaluated in the report [R10], against the original labels and the reader. */
  readonly models?: readonly string[] | undefined
  /** The models' operating-point rule (default Youden's J). */
  readonly threshold?: ThresholdSpec | undefined
  /** The time printed in the report (default now). */
  readonly generatedAt?: string | undefined
}

/** One red (label contradicted) or orange (uncertain) case of the contact sheets [L19]. */
export interface ReportCase {
  readonly image: string
  readonly label: number
  readonly verdict: string
  readonly reads: number
  readonly age: number | null
  readonly sex: string
  readonly view: string
  readonly tags: readonly string[]
  /** data:image/jpeg;base64,... or null when the image is not on disk or unreadable. */
  readonly thumbnail: string | null
}

export interface ReportCases {
  readonly finding: string
  readonly red: ReportCase[]
  readonly orange: ReportCase[]
  readonly redTotal: number
  readonly orangeTotal: number
}

export interface ReportReader {
  readonly name: string
  readonly kind: string
  readonly imports: readonly LabelImportRow[]
  /** From the reader's verdict events in this audit (or all); null for imported labels [R5]. */
  readonly reading: {
    readonly events: number
    readonly items: number
    readonly first: string
    readonly last: string
    readonly activeSeconds: number
  } | null
}

/** Everything the report shows, as data (the HTML is rendered from this alone). */
export interface ReportModel {
  readonly title: string
  readonly generatedAt: string
  readonly dataset: string
  readonly mode: 'audit' | 'reader'
  readonly accuracy: LabelAccuracyReport
  readonly agreement: AgreementReport | null
  readonly agreementNote: string | null
  readonly sample: {
    readonly seed: string | null
    readonly description: string
    readonly findings: {
      finding: string
      /** Items the audit drew (null outside an audit). */
      drawn: number | null
      judged: number
      labelledPositive: number
      labelledNegative: number
    }[]
    /** The audit's stored plan without its per-item draw details; null outside an audit. */
    readonly plan: unknown
    /** How the audit was drawn (strata, sizes, weights) [W38]; null outside an audit. */
    readonly design: AuditDesign | null
  }
  readonly readers: ReportReader[]
  readonly cases: ReportCases[]
  readonly cohort: Pick<
    DatasetCheckReport,
    'images' | 'patients' | 'imagesOnDisk' | 'cohort' | 'leakage'
  >
  readonly versions: Versions
  /** The dataset's import: format, date and the files with their SHA-256 [R4]. */
  readonly datasetInfo: {
    readonly sourceFormat: string
    readonly importedAt: string
    readonly files: readonly SourceFile[]
  }
  /** The options the numbers were computed with (what a re-check needs) [R9]. */
  readonly options: {
    readonly readerSpec: ReaderSpec
    readonly agreementReaders: readonly string[] | null
    readonly threshold: ThresholdSpec | null
  }
  readonly models: readonly ReportModelSection[]
  /** Time per film, viewer use and presets of the report's person readers in its audit [W36]. */
  readonly readingConditions: ReadingConditionsReport | null
}

/** Gathers the report from the database [L17]: an audit's sample and readers, or a reader's verdicts. */
export async function buildReport(store: Store, o: ReportOptions): Promise<ReportModel> {
  const db = store.db
  const accuracy = await labelAccuracy(db, {
    reader: o.reader,
    auditId: o.auditId,
    ci: o.ci,
    dataset: o.dataset,
    population: o.population,
  })
  const design = o.auditId === undefined ? null : (await auditDesign(db, o.auditId)).design
  const dataset = await findDataset(db, accuracy.dataset)
  const { agreement, note } = await agreementFor(store, accuracy, o)
  const allReaders = await listReaders(db)
  const members = allReaders.filter((r) => accuracy.readers.includes(r.name))
  const imports = await listLabelImports(
    db,
    members.map((r) => r.id),
  )
  const times = await readingTimes(db, {
    readerIds: members.filter((r) => r.kind === 'person').map((r) => r.id),
    auditId: o.auditId,
  })
  const readers = members.map((r) => {
    const t = times.find((x) => x.readerId === r.id)
    return {
      name: r.name,
      kind: r.kind,
      imports: imports.filter((i) => i.readerId === r.id),
      reading:
        t === undefined
          ? null
          : {
              events: t.events,
              items: t.items,
              first: t.first,
              last: t.last,
              activeSeconds: t.activeSeconds,
            },
    }
  })
  const conditions = accuracy.audit === null ? null : await readingConditions(db, accuracy.audit.id)
  const cases = await collectCases(store, accuracy, o)
  const check = checkDataset({ dataset: dataset.name, ...(await loadCheckInput(db, dataset)) })
  const audit = accuracy.audit
  const readerSpec: ReaderSpec = accuracy.consensus
    ? { kind: 'consensus', members: accuracy.readers }
    : { kind: 'reader', name: accuracy.reader }
  const models = await buildModelSections(store, {
    models: o.models ?? [],
    dataset: dataset.name,
    reader: readerSpec,
    findings: accuracy.findings.map((f) => f.finding),
    threshold: o.threshold,
  })
  return {
    title:
      audit === null
        ? `Label audit of ${dataset.name}: ${accuracy.reader}`
        : `Label audit of ${dataset.name}: audit ${audit.id} "${audit.name}"`,
    generatedAt: o.generatedAt ?? new Date().toISOString(),
    dataset: dataset.name,
    mode: audit === null ? 'reader' : 'audit',
    accuracy,
    agreement,
    agreementNote: note,
    sample: {
      seed: audit?.seed ?? null,
      description:
        audit === null
          ? `Every image ${accuracy.reader} judged (no sampling: the reader's own selection, e.g. an imported expert-label file).`
          : `Audit ${audit.id} "${audit.name}", drawn with seed ${audit.seed}${audit.blinded ? ', blinded' : ''}, created ${audit.createdAt}.`,
      plan: audit === null ? null : planSummary(audit.plan),
      design,
      findings: accuracy.findings.map((f) => ({
        finding: f.finding,
        drawn:
          audit === null ? null : (audit.sample.find((x) => x.finding === f.finding)?.items ?? 0),
        judged: f.judged,
        labelledPositive: f.labelledPositive,
        labelledNegative: f.labelledNegative,
      })),
    },
    readers,
    cases,
    cohort: {
      images: check.images,
      patients: check.patients,
      imagesOnDisk: check.imagesOnDisk,
      cohort: check.cohort,
      leakage: check.leakage,
    },
    versions: await collectVersions(store),
    datasetInfo: {
      sourceFormat: dataset.sourceFormat,
      importedAt: dataset.importedAt,
      files: await listSourceFiles(db, dataset.id),
    },
    options: {
      readerSpec,
      agreementReaders: agreement?.readers ?? null,
      threshold: o.threshold ?? null,
    },
    models,
    readingConditions:
      conditions === null
        ? null
        : {
            ...conditions,
            readers: conditions.readers.filter((r) => accuracy.readers.includes(r.reader)),
          },
  }
}

async function agreementFor(
  store: Store,
  accuracy: LabelAccuracyReport,
  o: ReportOptions,
): Promise<{ agreement: AgreementReport | null; note: string | null }> {
  const common = {
    seed: o.seed,
    replicates: o.replicates,
    dataset: accuracy.dataset,
    auditId: o.auditId,
  }
  if (o.agreementReaders !== undefined && o.agreementReaders.length > 0)
    return {
      agreement: await readerAgreement(store.db, { ...common, readers: o.agreementReaders }),
      note: null,
    }
  if (o.agreementPrefix !== undefined)
    return {
      agreement: await readerAgreement(store.db, { ...common, readerPrefix: o.agreementPrefix }),
      note: null,
    }
  if (accuracy.readers.length >= 2)
    return {
      agreement: await readerAgreement(store.db, { ...common, readers: accuracy.readers }),
      note: null,
    }
  const prefix = `${accuracy.reader}:`
  const named = (await listReaders(store.db)).filter((r) => r.name.startsWith(prefix))
  if (named.length >= 2)
    return {
      agreement: await readerAgreement(store.db, { ...common, readerPrefix: prefix }),
      note: null,
    }
  return {
    agreement: null,
    note: 'One reader: no agreement to measure (name the readers with --agreement-readers or --agreement-prefix).',
  }
}

/** Red: the label contradicted (labelled positive judged absent, or negative judged present). */
async function collectCases(
  store: Store,
  accuracy: LabelAccuracyReport,
  o: ReportOptions,
): Promise<ReportCases[]> {
  const db = store.db
  const max = o.maxCases ?? 36
  const dataset = await findDataset(db, accuracy.dataset)
  const all = await listFindings(db, dataset.id)
  // the readers the accuracy was computed for, as resolved there
  const known = new Map((await listReaders(db)).map((r) => [r.name, r]))
  const readers = accuracy.readers.map((n) => known.get(n)!)
  const picked = all.filter((f) => accuracy.findings.some((x) => x.finding === f.name))
  const judged = await loadJudged(db, {
    readers,
    findings: picked,
    allFindings: all,
    auditId: o.auditId,
  })
  const interesting = judged.filter(
    (j) =>
      j.verdict === 'uncertain' ||
      (j.label === 1 && j.verdict === 'absent') ||
      (j.label === 0 && j.verdict === 'present'),
  )
  const facts = await loadLabelImageFacts(
    db,
    interesting.map((j) => j.imageId),
  )
  const out: ReportCases[] = []
  for (const f of picked) {
    const mine = interesting
      .filter((j) => j.findingId === f.id)
      .map((j) => ({ j, facts: facts.get(j.imageId)! }))
      .sort((a, b) => (a.facts.name < b.facts.name ? -1 : a.facts.name > b.facts.name ? 1 : 0))
    const red = mine.filter((m) => m.j.verdict !== 'uncertain')
    const orange = mine.filter((m) => m.j.verdict === 'uncertain')
    const toCase = async (m: (typeof mine)[number]): Promise<ReportCase> => ({
      image: m.facts.name,
      label: m.j.label,
      verdict: m.j.verdict,
      reads: m.j.reads,
      age: m.facts.age,
      sex: m.facts.sex,
      view: m.facts.view,
      tags: m.facts.tags,
      thumbnail:
        o.thumbnails !== false && m.facts.path !== null
          ? await thumbnailDataUri(m.facts.path, dataset.imageRoots)
          : null,
    })
    const shownRed: ReportCase[] = []
    for (const m of red.slice(0, max)) shownRed.push(await toCase(m))
    const shownOrange: ReportCase[] = []
    for (const m of orange.slice(0, max)) shownOrange.push(await toCase(m))
    out.push({
      finding: f.name,
      red: shownRed,
      orange: shownOrange,
      redTotal: red.length,
      orangeTotal: orange.length,
    })
  }
  return out
}

/** The plan as stored, minus the `draw` details (pool sizes per stratum are long and shown elsewhere). */
function planSummary(plan: unknown): unknown {
  if (plan === null || typeof plan !== 'object' || Array.isArray(plan)) return plan
  return Object.fromEntries(Object.entries(plan).filter(([k]) => k !== 'draw'))
}
