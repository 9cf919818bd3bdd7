import { esc } from './escape.ts'

/** A cell: text as shown, or a number kept exact for CSV (shown with `shown` when given). */
export type Cell = string | number | null

/**
 * One table of the report, as data [R7]: rendered to HTML in the report, and exported as CSV
 * and as LaTeX (booktabs) from the same rows, so the three never disagree.
 */
export interface ReportTable {
  /** File stem of the exports (`label-accuracy-positives`): lower-case, digits, dashes. */
  readonly id: string
  readonly title: string
  readonly columns: readonly string[]
  readonly rows: readonly (readonly Cell[])[]
  readonly note?: string
}

const cellText = (c: Cell): string => (c === null ? '' : String(c))

/** RFC 4180 CSV: a header, then one line per row, CRLF, fields quoted when needed [R7]. */
export function tableCsv(t: ReportTable): string {
  const field = (c: Cell): string => {
    const s = cellText(c)
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
  }
  return [t.columns, ...t.rows].map((r) => r.map(field).join(',')).join('\r\n') + '\r\n'
}

/** The HTML table (every text escaped). */
export function tableHtml(t: ReportTable, o: { caption?: boolean } = {}): string {
  const head = `<tr>${t.columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr>`
  const body = t.rows.map(
    (r) => `<tr>${r.map((c) => `<td>${esc(cellText(c))}</td>`).join('')}</tr>`,
  )
  return [
    `<table id="table-${esc(t.id)}">`,
    o.caption === true ? `<caption>${esc(t.title)}</caption>` : '',
    `<thead>${head}</thead><tbody>`,
    ...body,
    '</tbody></table>',
  ].join('\n')
}

const LATEX_SPECIAL: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '{': '\\{',
  '}': '\\}',
  '#': '\\#',
  $: '\\$',
  '%': '\\%',
  '&': '\\&',
  _: '\\_',
  '^': '\\textasciicircum{}',
  '~': '\\textasciitilde{}',
}

/** Text safe inside LaTeX: the ten special characters escaped, other non-ASCII dropped to `?`. */
export function latexText(s: string): string {
  return s
    .replace(/[\\{}#$%&_^~]/g, (ch) => LATEX_SPECIAL[ch]!)
    .replace(/·/g, '\\textperiodcentered{}')
    .replace(/[^\x20-\x7e\\{}]/g, '?')
}

/**
 * The table as a LaTeX `table` with booktabs rules (`\toprule`, `\midrule`, `\bottomrule`), the
 * first column left-aligned and the rest right-aligned [R7]. Needs `\usepackage{booktabs}`.
 */
export function tableLatex(t: ReportTable): string {
  const spec = t.columns.map((_, i) => (i === 0 ? 'l' : 'r')).join('')
  const line = (cells: readonly Cell[]): string =>
    `${cells.map((c) => latexText(cellText(c))).join(' & ')} \\\\`
  return [
    '% cxr-audit report table; needs \\usepackage{booktabs,graphicx}',
    '\\begin{table}[htbp]',
    '\\centering',
    `\\caption{${latexText(t.title)}}`,
    `\\label{tab:${t.id}}`,
    '\\resizebox{\\linewidth}{!}{%',
    `\\begin{tabular}{${spec}}`,
    '\\toprule',
    line(t.columns),
    '\\midrule',
    ...t.rows.map(line),
    '\\bottomrule',
    '\\end{tabular}}',
    ...(t.note === undefined ? [] : [`\\par\\footnotesize ${latexText(t.note)}`]),
    '\\end{table}',
    '',
  ].join('\n')
}
