import { chromium } from 'playwright-core'

export const CHROMIUM = '/usr/bin/chromium'
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

/** The paper sizes a PDF is printed on [R1]. */
export type Paper = 'a4' | 'letter'
export const PAPERS: readonly Paper[] = ['a4', 'letter']

/**
 * Prints HTML to a PDF with Debian's Chromium [L20] (never a downloaded browser). `render` gets
 * the browser's version first, so the page can name the program that printed it.
 */
export async function printPdf(
  render: (chromiumVersion: string) => string,
  out: string,
  paper: Paper = 'a4',
  executablePath = process.env['CXR_AUDIT_CHROMIUM'] ?? CHROMIUM,
): Promise<string> {
  const browser = await chromium.launch({ executablePath, args: ARGS })
  try {
    const version = browser.version()
    const page = await browser.newPage()
    await page.setContent(render(version), { waitUntil: 'load' })
    await page.pdf({
      path: out,
      format: paper === 'a4' ? 'A4' : 'Letter',
      printBackground: true,
      // the page's own @page margins (portrait; tables and figures fit the text width)
      preferCSSPageSize: true,
    })
    return version
  } finally {
    await browser.close()
  }
}
