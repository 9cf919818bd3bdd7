import { createHash } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { readerSpecText } from '@cxr-audit/core'
import {
  auditDrawnItems,
  findDataset,
  imageNames,
  listFindings,
  listReaders,
  loadJudged,
  modelEvaluationSets,
  namedCurrentVerdicts,
  type Store,
} from '@cxr-audit/store'
import { BUNDLE_FORMAT, BUNDLE_VERSION, type BundleManifest } from './bundle-format.ts'
import {
  accuracyFigures,
  agreementFigures,
  modelFigures,
  populationFigures,
  type Figures,
} from './figures.ts'
import { renderReportHtml } from './html.ts'
import { methodsText } from './methods.ts'
import type { ReportModel } from './report-data.ts'
import { allTables } from './report-tables.ts'
import { tableCsv, tableLatex } from './tables.ts'
import { figurePdfs, reportFigureSvgs } from './exports.ts'

const csvField = (v: string | number): string => {
  const s = String(v)
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}
const csv = (header: readonly string[], rows: readonly (readonly (string | number)[])[]): string =>
  [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n'

/** The figures a report states, by id (what `verify-report` recomputes) [R9]. */
export function reportFigures(m: ReportModel): Figures {
  const out: Figures = {}
  for (const f of m.accuracy.findings) accuracyFigures(out, f.finding, f)
  // population figures of the audit's own design: the bundle's sampling.csv re-checks them
  if (m.mode === 'audit')
    for (const p of m.accuracy.population?.findings ?? []) populationFigures(out, p.finding, p)
  if (m.agreement !== null) agreementFigures(out, m.agreement.findings)
  for (const s of m.models)
    for (const e of s.evaluations)
      for (const f of e.findings) modelFigures(out, s.model, e.against, f.finding, f)
  return out
}

/**
 * Writes the re-check bundle of a report into `dir` [R9]: plain CSV and JSON from which every
 * figure can be recomputed without the database, the report itself, its methods and tables.
 */
export async function writeBundle(
  store: Store,
  dir: string,
  m: ReportModel,
  o: { auditId?: number | undefined },
): Promise<{ dir: string; files: string[]; figures: number }> {
  const db = store.db
  await mkdir(join(dir, 'tables'), { recursive: true })
  const dataset = await findDataset(db, m.dataset)
  const findings = await listFindings(db, dataset.id)
  const readers = await listReaders(db)
  const byName = (names: readonly string[]) => readers.filter((r) => names.includes(r.name))
  const a = m.accuracy
  const agreementReaders = m.agreement?.readers ?? []
  const verdicts = await namedCurrentVerdicts(db, {
    readers: byName([...new Set([...a.readers, ...agreementReaders])]),
    findings,
    auditId: o.auditId,
  })
  const picked = findings.filter((f) => a.findings.some((x) => x.finding === f.name))
  const judged = await loadJudged(db, {
    readers: byName(a.readers),
    findings: picked,
    allFindings: findings,
    auditId: o.auditId,
  })
  const names = await imageNames(
    db,
    judged.map((j) => j.imageId),
  )
  const findingName = new Map(findings.map((f) => [f.id, f.name]))
  const files: Record<string, string> = {}
  const put = async (name: string, text: string | Buffer): Promise<void> => {
    await writeFile(join(dir, name), text)
    files[name] = createHash('sha256').update(text).digest('hex')
  }
  await put(
    'verdicts.csv',
    csv(
      ['reader', 'image', 'finding', 'verdict'],
      verdicts.map((v) => [v.reader, v.image, v.finding, v.verdict]),
    ),
  )
  await put(
    'labels.csv',
    csv(
      ['image', 'finding', 'label'],
      judged.map((j) => [names.get(j.imageId)!, findingName.get(j.findingId)!, j.label]),
    ),
  )
  if (a.audit !== null) {
    await put(
      'sampling.csv',
      csv(
        ['position', 'finding', 'image', 'labelled', 'inclusion'],
        (await auditDrawnItems(db, a.audit.id)).map((i) => [
          i.position,
          i.finding,
          i.image,
          i.labelled,
          i.inclusion === null ? '' : String(i.inclusion),
        ]),
      ),
    )
    await put(
      'sampling.json',
      JSON.stringify(
        {
          seed: a.audit.seed,
          blinded: a.audit.blinded,
          plan: a.audit.plan,
          design: m.sample.design,
        },
        null,
        2,
      ) + '\n',
    )
  }
  const models: BundleManifest['options']['models'][number][] = []
  const modelRows: (string | number)[][] = []
  for (const s of m.models)
    for (const e of s.evaluations) {
      const fs = e.findings.map((f) => f.finding)
      const against = e.against === 'original' ? 'original' : m.options.readerSpec
      models.push({ model: s.model, against: e.against, threshold: e.threshold, findings: fs })
      const sets = await modelEvaluationSets(store, {
        model: s.model,
        dataset: m.dataset,
        against,
        findings: fs,
      })
      for (const set of sets)
        set.images.forEach((image, i) =>
          modelRows.push([s.model, e.against, set.finding, image, set.truths[i]!, set.scores[i]!]),
        )
    }
  if (models.length > 0)
    await put(
      'model-scores.csv',
      csv(['model', 'against', 'finding', 'image', 'truth', 'score'], modelRows),
    )
  const figures = reportFigures(m)
  await put('figures.json', JSON.stringify({ figures }, null, 2) + '\n')
  await put('methods.txt', methodsText(m))
  await put('report.html', renderReportHtml(m))
  for (const t of allTables(m)) {
    await put(`tables/${t.id}.csv`, tableCsv(t))
    await put(`tables/${t.id}.tex`, tableLatex(t))
  }
  await mkdir(join(dir, 'figures'), { recursive: true })
  const svgs = reportFigureSvgs(m)
  const pdfs = await figurePdfs(svgs)
  for (const f of svgs) {
    await put(`figures/${f.id}.svg`, f.svg)
    await put(`figures/${f.id}.pdf`, pdfs.get(f.id)!)
  }
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    title: m.title,
    generatedAt: m.generatedAt,
    dataset: m.dataset,
    mode: m.mode,
    audit:
      a.audit === null
        ? null
        : { id: a.audit.id, name: a.audit.name, seed: a.audit.seed, blinded: a.audit.blinded },
    options: {
      reader: readerSpecText(m.options.readerSpec),
      readers: a.readers,
      findings: a.findings.map((f) => f.finding),
      ci: a.ci,
      confidence: a.confidence,
      agreement:
        m.agreement === null
          ? null
          : {
              readers: m.agreement.readers,
              findings: m.agreement.findings.map((f) => f.finding),
              seed: m.agreement.seed,
              replicates: m.agreement.replicates,
              confidence: m.agreement.confidence,
            },
      models,
      population:
        m.mode === 'audit' && a.population !== undefined
          ? {
              seed: a.population.bootstrap.seed,
              replicates: a.population.bootstrap.replicates,
              confidence: a.population.bootstrap.confidence,
            }
          : null,
    },
    inputs: {
      datasetFiles: m.datasetInfo.files.map((f) => ({
        role: f.role,
        name: f.name,
        sha256: f.sha256,
        bytes: f.bytes,
      })),
      labelImports: m.readers.flatMap((r) =>
        r.imports.map((i) => ({
          reader: r.name,
          file: i.file,
          sha256: i.sha256,
          importedAt: i.importedAt,
        })),
      ),
    },
    versions: Object.fromEntries(Object.entries(m.versions).map(([k, v]) => [k, String(v)])),
    files,
  }
  await writeFile(join(dir, 'bundle.json'), JSON.stringify(manifest, null, 2) + '\n')
  return {
    dir,
    files: ['bundle.json', ...Object.keys(files)],
    figures: Object.keys(figures).length,
  }
}
