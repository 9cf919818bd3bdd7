import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS, tempStore } from '../../ingest/src/test-helpers.ts'
import { pageEdges, pdfPageSize } from './page-edges.ts'
import { printLayoutProblems } from './print-layout.ts'
import { renderReportHtml } from './html.ts'
import { printPdf, type Paper } from './pdf.ts'
import { buildReportFixture, type ReportFixture } from './report-fixture.ts'
import { writeReport } from './write-report.ts'

// points of a portrait page (pdfinfo's numbers): A4 210 x 297 mm, US Letter 8.5 x 11 in
const SIZE: Record<Paper, [number, number]> = { a4: [595.3, 841.9], letter: [612, 792] }

describe.each(DIALECTS)('the report fits the page (%s)', (kind) => {
  let t: Awaited<ReturnType<typeof tempStore>>
  let fx: ReportFixture
  beforeAll(async () => {
    t = await tempStore(kind)
    fx = await buildReportFixture(t.store, t.dir)
  }, 120_000)
  afterAll(async () => t.cleanup())

  const cases = [
    ['one-finding', (f: ReportFixture) => ({ auditId: f.oneFinding })],
    ['fourteen-finding', (f: ReportFixture) => ({ auditId: f.fourteen, replicates: 100 })],
    ['model', (f: ReportFixture) => ({ auditId: f.oneFinding, models: ['densenet'] })],
  ] as const

  for (const [name, options] of cases)
    for (const paper of ['a4', 'letter'] as const)
      it(`[R1] the ${name} report on ${paper}: every page rendered by pdftoppm, nothing within 5 mm of an edge`, async () => {
        const out = join(t.dir, `${name}-${paper}.pdf`)
        const { model } = await writeReport(t.store, out, options(fx), paper)
        // HTML print: nothing wider than the printable width, thumbnails at least 45 mm
        expect(await printLayoutProblems(renderReportHtml(model), paper)).toEqual([])
        const [w, h] = await pdfPageSize(out)
        expect(Math.abs(w - SIZE[paper][0]) <= 1 && Math.abs(h - SIZE[paper][1]) <= 1).toBe(true)
        const pages = await pageEdges(out)
        expect(pages.length).toBeGreaterThan(1)
        for (const p of pages) {
          expect(p.ink, `page ${p.page} is blank`).toBeGreaterThan(0)
          expect({
            page: p.page,
            top: p.top,
            right: p.right,
            bottom: p.bottom,
            left: p.left,
          }).toEqual({
            page: p.page,
            top: 0,
            right: 0,
            bottom: 0,
            left: 0,
          })
        }
      }, 60_000)

  it('[R1] the checks see what does not fit: ink at the page edge, a table wider than the page', async () => {
    const out = join(t.dir, 'edge.pdf')
    await printPdf(
      () =>
        '<!DOCTYPE html><style>@page{margin:0}</style><div style="height:30mm;background:#000"></div>',
      out,
      'letter',
    )
    const [page] = await pageEdges(out)
    expect([page!.top, page!.bottom]).toEqual([expect.any(Number), 0])
    expect(Math.min(page!.top, page!.left, page!.right)).toBeGreaterThan(0)
    const wide = `<!DOCTYPE html><table id="wide"><tr>${'<td style="white-space:nowrap">sensitivity 31.6% [19.1%, 47.5%]</td>'.repeat(6)}</tr></table><figure><img style="width:30mm"></figure>`
    const problems = await printLayoutProblems(wide, 'a4')
    expect(problems.map((p) => p.what)).toEqual(['table#wide', 'page', 'thumbnail'])
  })
})
