import { execFile } from 'node:child_process'
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** What touches the border band of one rendered page. */
export interface PageEdges {
  readonly page: number
  /** Ink pixels inside the band along each edge. */
  readonly top: number
  readonly right: number
  readonly bottom: number
  readonly left: number
  /** Ink pixels on the whole page (a blank page proves nothing). */
  readonly ink: number
}

/**
 * Renders every page of a PDF with Debian's poppler-utils (`pdftoppm -gray`) and counts the
 * non-white pixels within `bandMm` of each edge [R1]. A table or figure wider than the text
 * area runs into the margin and is cut at the page edge: it shows up here.
 */
export async function pageEdges(pdf: string, bandMm = 5, dpi = 40): Promise<PageEdges[]> {
  const dir = await mkdtemp(join(tmpdir(), 'cxr-pages-'))
  try {
    await run('pdftoppm', ['-gray', '-r', String(dpi), pdf, join(dir, 'p')])
    const files = (await readdir(dir)).filter((f) => f.endsWith('.pgm')).sort()
    const band = Math.ceil((bandMm / 25.4) * dpi)
    const out: PageEdges[] = []
    for (const [i, f] of files.entries()) {
      const { width, height, pixels } = readPgm(await readFile(join(dir, f)))
      const inkAt = (x: number, y: number): boolean => pixels[y * width + x]! < 245
      let top = 0
      let right = 0
      let bottom = 0
      let left = 0
      let ink = 0
      for (let y = 0; y < height; y++)
        for (let x = 0; x < width; x++) {
          if (!inkAt(x, y)) continue
          ink++
          if (y < band) top++
          if (y >= height - band) bottom++
          if (x < band) left++
          if (x >= width - band) right++
        }
      out.push({
        page: i + 1,
        top,
        right,
        bottom,
        left,
        ink,
      })
    }
    return out
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** A binary PGM (P5, 8-bit) as written by pdftoppm. */
function readPgm(buf: Buffer): { width: number; height: number; pixels: Uint8Array } {
  const text = buf.subarray(0, 64).toString('latin1')
  const m = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(text)
  if (m === null) throw new Error('pdftoppm did not write a P5 PGM')
  const width = Number(m[1])
  const height = Number(m[2])
  return { width, height, pixels: buf.subarray(m[0].length, m[0].length + width * height) }
}

/** The page size of a PDF in points, as `pdfinfo` (poppler-utils) reads it. */
export async function pdfPageSize(pdf: string): Promise<[number, number]> {
  const { stdout } = await run('pdfinfo', [pdf])
  const m = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(stdout)
  if (m === null) throw new Error(`pdfinfo gave no page size for ${pdf}`)
  return [Number(m[1]), Number(m[2])]
}
