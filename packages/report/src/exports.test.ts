import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { figurePdfs } from './exports.ts'
import { forestPlotSvg } from './forest-plot.ts'
import { tableCsv, tableLatex, type ReportTable } from './tables.ts'
import { zipArchive } from './zip.ts'

const dir = mkdtempSync(join(tmpdir(), 'cxr-exports-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const TABLE: ReportTable = {
  id: 'label-accuracy-positives',
  title: 'PPV & friends: 100% of_labels',
  columns: ['finding', 'labelled +', 'PPV [95% CI]'],
  rows: [
    ['Effusion', 6, '50.0% [18.8%, 81.2%]'],
    ['Pleural_Thickening "x", y', 0, null],
    ['a\\b {c} #d $e ^f ~g', 1, '1 · 2'],
  ],
  note: 'Wilson 1927 & co.',
}

/** Whether Debian's pdflatex (texlive-latex-base) and booktabs are here to compile with. */
const hasLatex = (() => {
  try {
    execFileSync('kpsewhich', ['booktabs.sty'], { stdio: 'pipe' })
    return existsSync('/usr/bin/pdflatex')
  } catch {
    return false
  }
})()

describe('tables and figures out', () => {
  it('[R7] CSV: RFC 4180, a header, quotes where needed, CRLF', () => {
    expect(tableCsv(TABLE)).toBe(
      'finding,labelled +,PPV [95% CI]\r\n' +
        'Effusion,6,"50.0% [18.8%, 81.2%]"\r\n' +
        '"Pleural_Thickening ""x"", y",0,\r\n' +
        'a\\b {c} #d $e ^f ~g,1,1 · 2\r\n',
    )
  })

  it(`[R7] LaTeX: a booktabs tabular with every special character escaped${hasLatex ? ', compiled by pdflatex' : ' (pdflatex not installed: structure checked)'}`, () => {
    const tex = tableLatex(TABLE)
    const lines = tex.split('\n')
    expect(lines.filter((l) => /^\\(toprule|midrule|bottomrule)$/.test(l))).toEqual([
      '\\toprule',
      '\\midrule',
      '\\bottomrule',
    ])
    expect(tex).toContain('\\begin{tabular}{lrr}')
    expect(tex).toContain('\\caption{PPV \\& friends: 100\\% of\\_labels}')
    expect(tex).toContain(
      'a\\textbackslash{}b \\{c\\} \\#d \\$e \\textasciicircum{}f \\textasciitilde{}g & 1 & 1 \\textperiodcentered{} 2 \\\\',
    )
    // every body row has as many cells as the header (3 columns: 2 separators)
    const body = lines.slice(lines.indexOf('\\midrule') + 1, lines.indexOf('\\bottomrule'))
    expect(body).toHaveLength(3)
    for (const l of body) expect(l.replace(/\\&/g, '').split('&')).toHaveLength(3)
    if (hasLatex) {
      const file = join(dir, 'table.tex')
      writeFileSync(
        file,
        `\\documentclass{article}\\usepackage{booktabs,graphicx}\\begin{document}\n${tex}\\end{document}\n`,
      )
      execFileSync('pdflatex', ['-interaction=nonstopmode', '-halt-on-error', 'table.tex'], {
        cwd: dir,
        stdio: 'pipe',
      })
      expect(existsSync(join(dir, 'table.pdf'))).toBe(true)
    }
  })

  it('[R8] a figure as a vector PDF: its text is text, no bitmap inside (poppler-utils)', async () => {
    const svg = forestPlotSvg(
      [{ label: 'Effusion', value: 0.5, low: 0.2, high: 0.8, published: 0.9, n: 6 }],
      'Positive predictive value',
    )
    const pdfs = await figurePdfs([{ id: 'forest', svg }])
    const file = join(dir, 'forest.pdf')
    writeFileSync(file, pdfs.get('forest')!)
    expect(execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })).toContain('Effusion')
    const images = execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' })
    expect(images.trim().split('\n')).toHaveLength(2) // the header lines alone: no image
  })

  it('[R8] the ZIP reads back with Info-ZIP, names and bytes intact', () => {
    const binary = Buffer.from([0, 1, 2, 255, 254, 0, 0, 0])
    const zip = zipArchive([
      { name: 'tables/a.csv', data: tableCsv(TABLE) },
      { name: 'figures/b.pdf', data: binary },
      { name: 'tables/c.tex', data: 'x'.repeat(5000) },
    ])
    const file = join(dir, 'out.zip')
    writeFileSync(file, zip)
    expect(execFileSync('unzip', ['-tq', file], { encoding: 'utf8' })).toMatch(/No errors/)
    expect(execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' }).trim().split('\n')).toEqual([
      'tables/a.csv',
      'figures/b.pdf',
      'tables/c.tex',
    ])
    expect(execFileSync('unzip', ['-p', file, 'tables/a.csv'], { encoding: 'utf8' })).toBe(
      tableCsv(TABLE),
    )
    expect(execFileSync('unzip', ['-p', file, 'figures/b.pdf'])).toEqual(binary)
    expect(() => zipArchive([{ name: '../evil', data: '' }])).toThrow(/not a relative path/)
  })
})
