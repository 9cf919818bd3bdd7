/**
 * The review workbench's speed (issue 4): with the 216 shared CXR14 images and a warm thumbnail
 * cache, in Debian's Chromium, from the PageDown key to all 18 thumbnails of the next sheet
 * decoded and painted (img.decode() then requestAnimationFrame, in the page); the server's
 * answer for a sheet; a cached thumbnail. Run: npx tsx bench/review.bench.ts
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildFixture } from '../apps/server/src/testing/fixture.ts'
import type { AuditDto, SheetDto } from '@cxr-audit/contract'
import { Workbench, launchChromium } from '../e2e/support/workbench.ts'

const TURNS = Number(process.env['TURNS'] ?? 30)
const REQUESTS = 200

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b)
  const at = (s.length - 1) * q
  const lo = Math.floor(at)
  return s[lo]! + (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!) * (at - lo)
}
const ms = (x: number): string => `${x < 10 ? x.toFixed(1) : x.toFixed(0)} ms`

async function timed(n: number, url: (i: number) => string): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < n; i++) {
    const t = performance.now()
    const res = await fetch(url(i))
    await res.arrayBuffer()
    if (!res.ok) throw new Error(`${url(i)}: ${res.status}`)
    out.push(performance.now() - t)
  }
  return out
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'cxr-bench-'))
  const fixture = await buildFixture({ dir, inPlace: true })
  const wb = new Workbench(fixture.db, dir)
  await wb.start()
  const browser = await launchChromium()
  try {
    // every image under several findings: more than TURNS sheets
    const created = await wb.api<{ audit: AuditDto }>('POST', '/api/audits', {
      name: 'bench',
      findings: ['Effusion', 'Infiltration', 'Atelectasis', 'Nodule'],
      positives: 1000,
      negatives: 1000,
      seed: 1,
      onePerPatient: false,
    })
    const audit = created.json.audit
    const pages = audit.findings.reduce((s, f) => s + f.pages, 0)
    if (pages <= TURNS) throw new Error(`only ${pages} sheets for ${TURNS} turns`)

    // warm the thumbnail cache (and time the cold renditions)
    const ids = new Set<number>()
    for (const f of audit.findings)
      for (let p = 0; p < f.pages; p++) {
        const s = await wb.api<SheetDto>(
          'GET',
          `/api/audits/${audit.id}/sheet?finding=${f.findingId}&page=${p}`,
        )
        for (const it of s.json.items) ids.add(it.imageId)
      }
    const idList = [...ids]
    const cold = performance.now()
    await timed(idList.length, (i) => `${wb.url}/api/images/${idList[i]}/thumbnail`)
    const coldEach = (performance.now() - cold) / idList.length

    const reader = (
      await wb.api<{ reader: { id: number; name: string } }>('POST', '/api/readers', {
        name: 'Bench Reader',
      })
    ).json.reader
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } })
    await context.addInitScript((r) => {
      localStorage.setItem('cxr-audit:reader', JSON.stringify(r))
      const w = window as unknown as { __bench: { key: number; turns: number[]; paints: number } }
      w.__bench = { key: 0, turns: [], paints: 0 }
      window.addEventListener(
        'keydown',
        (e) => {
          if (e.key === 'PageDown') w.__bench.key = performance.now()
        },
        { capture: true },
      )
      window.addEventListener('cxr:sheet-painted', () => {
        w.__bench.paints++
        if (w.__bench.key > 0) w.__bench.turns.push(performance.now() - w.__bench.key)
        w.__bench.key = 0
      })
    }, reader)
    const page = await context.newPage()
    const first = audit.findings[0]!
    await page.goto(`${wb.url}/#/audits/${audit.id}/sheet/${first.findingId}/0`)
    const paints = (): Promise<number> =>
      page.evaluate(() => (window as unknown as { __bench: { paints: number } }).__bench.paints)
    await page.waitForFunction(
      () => (window as unknown as { __bench: { paints: number } }).__bench.paints > 0,
    )
    let prefetched = ''
    for (let i = 0; i < TURNS; i++) {
      const before = await paints()
      // a reader looks at a sheet for seconds: the app has saved the marks and prefetched the
      // next sheet (its data and decoded thumbnails) by the time PageDown is pressed
      await page.waitForFunction(() => document.body.dataset['outbox'] === 'saved')
      await page.waitForFunction(
        (n) => (document.documentElement.dataset['prefetched'] ?? '') !== n,
        i === 0 ? '' : prefetched,
      )
      prefetched = await page.evaluate(() => document.documentElement.dataset['prefetched'] ?? '')
      await page.keyboard.press('PageDown')
      await page.waitForFunction(
        (n) => (window as unknown as { __bench: { paints: number } }).__bench.paints > n,
        before,
      )
    }
    const turns = await page.evaluate(
      () => (window as unknown as { __bench: { turns: number[] } }).__bench.turns,
    )

    const sheetUrl = (i: number): string => {
      const f = audit.findings[i % audit.findings.length]!
      return `${wb.url}/api/audits/${audit.id}/sheet?finding=${f.findingId}&page=${i % f.pages}&reader=${reader.id}`
    }
    await timed(20, sheetUrl) // warm-up
    const sheets = await timed(REQUESTS, sheetUrl)
    const thumbs = await timed(
      REQUESTS,
      (i) => `${wb.url}/api/images/${idList[(i * 7) % idList.length]}/thumbnail`,
    )

    const line = (s: string): void => void process.stdout.write(`${s}\n`)
    line(
      `review workbench: ${idList.length} images, ${pages} sheets of 18, Chromium ${browser.version()}`,
    )
    line(
      `sheet turn (PageDown -> 18 thumbnails decoded and painted): median ${ms(quantile(turns, 0.5))}, p95 ${ms(quantile(turns, 0.95))} over ${turns.length} turns (target < 100 / < 200)`,
    )
    line(
      `sheet answer (GET /api/audits/:id/sheet, 18 items, over HTTP): median ${ms(quantile(sheets, 0.5))}, p95 ${ms(quantile(sheets, 0.95))} over ${REQUESTS} (target < 20)`,
    )
    line(
      `cached thumbnail (GET /api/images/:id/thumbnail): median ${ms(quantile(thumbs, 0.5))}, p95 ${ms(quantile(thumbs, 0.95))} over ${REQUESTS}; cold rendition ${ms(coldEach)} each`,
    )
  } finally {
    await browser.close()
    await wb.stop()
    await rm(dir, { recursive: true, force: true })
  }
}

await main()
