import { chromium } from 'playwright-core'
import { CHROMIUM, type Paper } from './pdf.ts'

/** Page width and the report's @page side margins, in mm [R1]. */
const PAGE_WIDTH_MM: Record<Paper, number> = { a4: 210, letter: 215.9 }
export const SIDE_MARGIN_MM = 12
const PX_PER_MM = 96 / 25.4

/** An element that does not fit the printable width, or a thumbnail printed too small. */
export interface LayoutProblem {
  readonly what: string
  readonly widthMm: number
}

/**
 * Lays the HTML out as Chromium prints it (print media, the printable width of the paper) and
 * lists every table, figure, image or SVG wider than that width, and every thumbnail narrower
 * than 45 mm [R1]. Chromium would shrink an overflowing page to fit (and thumbnails with it)
 * or clip it at the margin, neither of which a rendered PDF shows at the page edge.
 */
export async function printLayoutProblems(html: string, paper: Paper): Promise<LayoutProblem[]> {
  const width = Math.floor((PAGE_WIDTH_MM[paper] - 2 * SIDE_MARGIN_MM) * PX_PER_MM)
  const browser = await chromium.launch({
    executablePath: process.env['CXR_AUDIT_CHROMIUM'] ?? CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  })
  try {
    const page = await browser.newPage({ viewport: { width, height: 1000 } })
    await page.emulateMedia({ media: 'print' })
    await page.setContent(html, { waitUntil: 'load' })
    return await page.evaluate(
      ({ pxPerMm }) => {
        const out: { what: string; widthMm: number }[] = []
        const limit = document.documentElement.clientWidth + 0.5
        for (const el of document.querySelectorAll(
          'table, svg, figure, img, section, p, h1, h2, h3',
        )) {
          const r = el.getBoundingClientRect()
          if (r.right > limit || r.left < -0.5)
            out.push({
              what: `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}`,
              widthMm: r.width / pxPerMm,
            })
        }
        if (document.documentElement.scrollWidth > limit)
          out.push({ what: 'page', widthMm: document.documentElement.scrollWidth / pxPerMm })
        for (const el of document.querySelectorAll('figure img, figure .img')) {
          const w = el.getBoundingClientRect().width / pxPerMm
          if (w < 45) out.push({ what: 'thumbnail', widthMm: w })
        }
        return out
      },
      { pxPerMm: PX_PER_MM },
    )
  } finally {
    await browser.close()
  }
}
