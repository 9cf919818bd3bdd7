import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  accuracyStats,
  agreementTable,
  analysisWeight,
  populationEstimates,
  countJudged,
  evaluateScores,
  majorityVerdict,
  parseCsv,
  parseThresholdSpec,
  type IntervalMethod,
  type JudgedItem,
  type Read,
  type Verdict,
  type WeightedJudged,
} from '@cxr-audit/core'
import { BUNDLE_FORMAT, type BundleManifest } from './bundle-format.ts'
import {
  accuracyFigures,
  agreementFigures,
  compareFigures,
  modelFigures,
  populationFigures,
  type Figures,
} from './figures.ts'

export class BundleError extends Error {
  override readonly name = 'BundleError'
}

/** What `cxr-audit verify-report --json` prints [R9]. */
export interface VerifyReport {
  readonly dir: string
  readonly ok: boolean
  /** Figures recomputed (and stated). */
  readonly figures: number
  readonly tolerance: number
  readonly differences: readonly {
    figure: string
    stated: number | null | undefined
    recomputed: number | null | undefined
  }[]
}

const VERDICTS = new Set(['present', 'absent', 'uncertain'])

/** A CSV of the bundle as rows keyed by its header; a bad file names its line [R9]. */
async function readTable(
  dir: string,
  file: string,
  columns: readonly string[],
): Promise<Record<string, string>[]> {
  let text: string
  try {
    text = await readFile(join(dir, file), 'utf8')
  } catch {
    throw new BundleError(`${join(dir, file)}: missing from the bundle`)
  }
  const [head, ...rows] = parseCsv(text)
  const header = head?.fields ?? []
  for (const c of columns)
    if (!header.includes(c)) throw new BundleError(`${file}, line 1: no column "${c}"`)
  return rows
    .filter((r) => !(r.fields.length === 1 && r.fields[0] === ''))
    .map((r) => {
      if (r.fields.length !== header.length)
        throw new BundleError(
          `${file}, line ${r.line}: ${r.fields.length} fields, the header has ${header.length}`,
        )
      return Object.fromEntries(header.map((h, i) => [h, r.fields[i]!]))
    })
}

function number(file: string, line: number, column: string, text: string | undefined): number {
  const v = Number(text)
  if (text === undefined || text.trim() === '' || !Number.isFinite(v))
    throw new BundleError(
      `${file}, line ${line}, column ${column}: "${text ?? ''}" is not a number`,
    )
  return v
}

/**
 * Recomputes every figure of a report bundle from its CSV and JSON alone, with the same core
 * statistics functions the report used, and compares with the figures it states [R9].
 */
export async function verifyBundle(dir: string, tolerance = 1e-12): Promise<VerifyReport> {
  let manifest: BundleManifest
  let stated: Figures
  try {
    manifest = JSON.parse(await readFile(join(dir, 'bundle.json'), 'utf8')) as BundleManifest
    stated = (JSON.parse(await readFile(join(dir, 'figures.json'), 'utf8')) as { figures: Figures })
      .figures
  } catch (e) {
    throw new BundleError(
      `${dir}: not a report bundle (bundle.json and figures.json): ${(e as Error).message}`,
    )
  }
  if (manifest.format !== BUNDLE_FORMAT)
    throw new BundleError(`${join(dir, 'bundle.json')}: format is not ${BUNDLE_FORMAT}`)
  const o = manifest.options
  const verdicts = (
    await readTable(dir, 'verdicts.csv', ['reader', 'image', 'finding', 'verdict'])
  ).map((r, i) => {
    if (!VERDICTS.has(r['verdict']!))
      throw new BundleError(
        `verdicts.csv, line ${i + 2}, column verdict: "${r['verdict']}" is not present, absent or uncertain`,
      )
    return {
      reader: r['reader']!,
      image: r['image']!,
      finding: r['finding']!,
      verdict: r['verdict'] as Verdict,
    }
  })
  const labels = new Map<string, number>()
  for (const [i, r] of (
    await readTable(dir, 'labels.csv', ['image', 'finding', 'label'])
  ).entries())
    labels.set(`${r['finding']}\t${r['image']}`, number('labels.csv', i + 2, 'label', r['label']))
  const recomputed: Figures = {}
  // label accuracy: each (image, finding) reduced to the readers' verdict (majority, ties uncertain)
  const readers = new Set(o.readers)
  const votes = new Map<string, Verdict[]>()
  for (const v of verdicts) {
    if (!readers.has(v.reader)) continue
    const key = `${v.finding}\t${v.image}`
    const list = votes.get(key)
    if (list === undefined) votes.set(key, [v.verdict])
    else list.push(v.verdict)
  }
  for (const finding of o.findings) {
    const items: JudgedItem[] = []
    for (const [key, list] of votes) {
      if (!key.startsWith(`${finding}\t`)) continue
      const label = labels.get(key)
      const verdict = list.length === 1 ? list[0]! : majorityVerdict(list)
      if (label === undefined || verdict === null) continue
      items.push({ label, verdict })
    }
    accuracyFigures(
      recomputed,
      finding,
      accuracyStats(countJudged(items), o.ci as IntervalMethod, o.confidence),
    )
  }
  if (o.population !== undefined && o.population !== null)
    await recomputePopulation(dir, recomputed, o.findings, votes, labels, o.population)
  if (o.agreement !== null) {
    const reads: Read[] = verdicts.map((v) => ({
      image: v.image,
      reader: v.reader,
      finding: v.finding,
      verdict: v.verdict,
    }))
    agreementFigures(
      recomputed,
      agreementTable(reads, o.agreement.readers, o.agreement.findings, {
        seed: o.agreement.seed,
        replicates: o.agreement.replicates,
        confidence: o.agreement.confidence,
      }),
    )
  }
  if (o.models.length > 0) {
    const rows = await readTable(dir, 'model-scores.csv', [
      'model',
      'against',
      'finding',
      'image',
      'truth',
      'score',
    ])
    const sets = new Map<string, { truths: number[]; scores: number[] }>()
    rows.forEach((r, i) => {
      const key = `${r['model']}\t${r['against']}\t${r['finding']}`
      let s = sets.get(key)
      if (s === undefined) sets.set(key, (s = { truths: [], scores: [] }))
      s.truths.push(number('model-scores.csv', i + 2, 'truth', r['truth']))
      s.scores.push(number('model-scores.csv', i + 2, 'score', r['score']))
    })
    for (const m of o.models) {
      const threshold = parseThresholdSpec(m.threshold)
      for (const finding of m.findings) {
        const s = sets.get(`${m.model}\t${m.against}\t${finding}`) ?? { truths: [], scores: [] }
        modelFigures(
          recomputed,
          m.model,
          m.against,
          finding,
          evaluateScores(s.truths, s.scores, { threshold }),
        )
      }
    }
  }
  const differences = compareFigures(stated, recomputed, tolerance)
  return {
    dir,
    ok: differences.length === 0,
    figures: Object.keys(recomputed).length,
    tolerance,
    differences,
  }
}

/**
 * The population figures from sampling.csv (each drawn film's stratum and inclusion
 * probability) and the judged films, in the verdicts' event order as the report met them [R11].
 */
async function recomputePopulation(
  dir: string,
  out: Figures,
  findings: readonly string[],
  votes: ReadonlyMap<string, Verdict[]>,
  labels: ReadonlyMap<string, number>,
  p: { readonly seed: number; readonly replicates: number; readonly confidence: number },
): Promise<void> {
  const drawn = new Map<string, { labelled: number; inclusion: number }>()
  const rows = await readTable(dir, 'sampling.csv', ['finding', 'image', 'labelled', 'inclusion'])
  rows.forEach((r, i) => {
    if (r['inclusion'] === '' || r['inclusion'] === undefined) return
    drawn.set(`${r['finding']}\t${r['image']}`, {
      labelled: number('sampling.csv', i + 2, 'labelled', r['labelled']),
      inclusion: number('sampling.csv', i + 2, 'inclusion', r['inclusion']),
    })
  })
  for (const finding of findings) {
    const judged: { label: number; verdict: Verdict; inclusion: number }[] = []
    for (const [key, list] of votes) {
      if (!key.startsWith(`${finding}\t`)) continue
      const d = drawn.get(key)
      const verdict = list.length === 1 ? list[0]! : majorityVerdict(list)
      if (d === undefined || !labels.has(key) || verdict === null) continue
      judged.push({ label: d.labelled, verdict, inclusion: d.inclusion })
    }
    if (judged.length === 0) continue
    const items: WeightedJudged[] = []
    for (const [stratum, label] of [
      ['positive', 1],
      ['negative', 0],
    ] as const) {
      const n = [...drawn.entries()].filter(
        ([k, d]) => k.startsWith(`${finding}\t`) && d.labelled === label,
      ).length
      const here = judged.filter((j) => j.label === label)
      for (const j of here)
        items.push({
          stratum,
          label,
          verdict: j.verdict,
          weight: analysisWeight(j.inclusion, n, here.length),
        })
    }
    populationFigures(out, finding, populationEstimates(items, p))
  }
}
