import { chromium } from 'playwright-core'
import { forestPlotSvg } from './forest-plot.ts'
import { calibrationPlotSvg, rocPlotSvg } from './model-plots.ts'
import { CHROMIUM } from './pdf.ts'
import type { ReportModel } from './report-data.ts'
import { allTables, slug } from './report-tables.ts'
import { tableCsv, tableLatex } from './tables.ts'
import { zipArchive, type ZipEntry } from './zip.ts'

/** A figure of the report as standalone SVG [R8]. */
export interface ReportFigure {
  readonly id: string
  readonly svg: string
}

/** The forest plot, and per model and truth the ROC curves and the calibration plot. */
export function reportFigureSvgs(m: ReportModel): ReportFigure[] {
  const out: ReportFigure[] = []
  const a = m.accuracy
  if (a.findings.length > 0)
    out.push({
      id: 'forest-plot-ppv',
      svg: forestPlotSvg(
        a.findings.map((f) => ({
          label: f.finding,
          value: f.ppv,
          low: f.ppvLow,
          high: f.ppvHigh,
          published: f.publishedPrecision,
          n: f.labelledPositive,
        })),
        'Positive predictive value of the original labels',
      ),
    })
  for (const s of m.models)
    for (const e of s.evaluations) {
      const tail = `${slug(s.model)}-${e.against === 'original' ? 'original' : slug(e.against)}`
      out.push(
        { id: `roc-${tail}`, svg: rocPlotSvg(e) },
        { id: `calibration-${tail}`, svg: calibrationPlotSvg(e) },
      )
    }
  return out
}

const svgSize = (svg: string): [number, number] => {
  const m = /<svg[^>]* width="([\d.]+)" height="([\d.]+)"/.exec(svg)
  return m === null ? [800, 600] : [Number(m[1]), Number(m[2])]
}

/**
 * Each figure as a vector PDF of its own size, printed by Debian's Chromium (the SVG stays
 * paths and text, never a bitmap) [R8].
 */
export async function figurePdfs(
  figures: readonly ReportFigure[],
  executablePath = process.env['CXR_AUDIT_CHROMIUM'] ?? CHROMIUM,
): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>()
  if (figures.length === 0) return out
  const browser = await chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  })
  try {
    const page = await browser.newPage()
    for (const f of figures) {
      const [w, h] = svgSize(f.svg)
      await page.setContent(
        `<!DOCTYPE html><html><head><style>@page{margin:0;size:${w}px ${h}px}html,body{margin:0}svg{display:block}</style></head><body>${f.svg}</body></html>`,
      )
      out.set(
        f.id,
        await page.pdf({
          width: `${w}px`,
          height: `${h}px`,
          printBackground: true,
          preferCSSPageSize: true,
        }),
      )
    }
  } finally {
    await browser.close()
  }
  return out
}

/** Every table (CSV, LaTeX) and figure (SVG, PDF) of the report as ZIP entries [R7], [R8]. */
export async function reportExportEntries(m: ReportModel): Promise<ZipEntry[]> {
  const entries: ZipEntry[] = []
  for (const t of allTables(m))
    entries.push(
      { name: `tables/${t.id}.csv`, data: tableCsv(t) },
      { name: `tables/${t.id}.tex`, data: tableLatex(t) },
    )
  const figures = reportFigureSvgs(m)
  const pdfs = await figurePdfs(figures)
  for (const f of figures) {
    entries.push({
      name: `figures/${f.id}.svg`,
      data: `<?xml version="1.0" encoding="UTF-8"?>\n${f.svg}\n`,
    })
    entries.push({ name: `figures/${f.id}.pdf`, data: pdfs.get(f.id)! })
  }
  entries.push({
    name: 'README.txt',
    data: `${m.title}\r\nGenerated ${m.generatedAt} by cxr-audit ${m.versions.cxrAudit}.\r\n\r\ntables/*.csv: RFC 4180 CSV, a header line, as the report shows them.\r\ntables/*.tex: LaTeX tables; need \\usepackage{booktabs,graphicx}.\r\nfigures/*.svg and *.pdf: the report's figures as vector graphics.\r\n`,
  })
  return entries
}

/** The exports as one ZIP archive (the results page's download) [R8]. */
export async function reportExportsZip(m: ReportModel): Promise<Buffer> {
  return zipArchive(await reportExportEntries(m))
}
