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

/**
 * Prints HTML to a PDF with Debian's Chromium [L20] (never a downloaded browser). `render` gets
 * the browser's version first, so the page can name the program that printed it.
 */
export async function printPdf(
  render: (chromiumVersion: string) => string,
  out: string,
  executablePath = process.env['CXR_AUDIT_CHROMIUM'] ?? CHROMIUM,
): Promise<string> {
  const browser = await chromium.launch({ executablePath, args: ARGS })
  try {
    const version = browser.version()
    const page = await browser.newPage()
    await page.setContent(render(version), { waitUntil: 'load' })
    await page.pdf({
      path: out,
      format: 'A4',
      landscape: true,
      printBackground: true,
      margin: { top: '12mm', bottom: '12mm', left: '10mm', right: '10mm' },
    })
    return version
  } finally {
    await browser.close()
  }
}
