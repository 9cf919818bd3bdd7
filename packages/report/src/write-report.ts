import { stat, writeFile } from 'node:fs/promises'
import { extname } from 'node:path'
import type { Store } from '@cxr-audit/store'
import { renderReportHtml } from './html.ts'
import { printPdf, type Paper } from './pdf.ts'
import { buildReport, type ReportModel, type ReportOptions } from './report-data.ts'

export class ReportError extends Error {
  override readonly name = 'ReportError'
}

export interface ReportSummary {
  readonly out: string
  readonly format: 'html' | 'pdf'
  readonly bytes: number
  readonly title: string
  readonly reader: string
  readonly findings: number
  readonly cases: number
  readonly thumbnails: number
}

/** Builds the report and writes it as HTML or, for a `.pdf` name, as PDF [L17]-[L20]. */
export async function writeReport(
  store: Store,
  out: string,
  o: ReportOptions,
  paper: Paper = 'a4',
): Promise<ReportSummary & { model: ReportModel }> {
  const ext = extname(out).toLowerCase()
  if (ext !== '.html' && ext !== '.htm' && ext !== '.pdf')
    throw new ReportError(`--out ${out}: name an .html or a .pdf file`)
  const model = await buildReport(store, o)
  let final = model
  let bytes: number
  if (ext === '.pdf') {
    await printPdf(
      (chromium) => {
        final = { ...model, versions: { ...model.versions, chromium } }
        return renderReportHtml(final)
      },
      out,
      paper,
    )
    bytes = (await stat(out)).size
  } else {
    const html = renderReportHtml(model)
    await writeFile(out, html)
    bytes = Buffer.byteLength(html)
  }
  const cases = final.cases.reduce((s, c) => s + c.red.length + c.orange.length, 0)
  const thumbnails = final.cases.reduce(
    (s, c) => s + [...c.red, ...c.orange].filter((x) => x.thumbnail !== null).length,
    0,
  )
  return {
    out,
    format: ext === '.pdf' ? 'pdf' : 'html',
    bytes,
    title: final.title,
    reader: final.accuracy.reader,
    findings: final.accuracy.findings.length,
    cases,
    thumbnails,
    model: final,
  }
}
