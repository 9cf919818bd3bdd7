import { esc } from './escape.ts'
import { forestPlotSvg } from './forest-plot.ts'
import { methodsParagraphs } from './methods.ts'
import { readingTable } from './reading-methods.ts'
import { calibrationPlotSvg, rocPlotSvg } from './model-plots.ts'
import type { ReportCase, ReportCases, ReportModel } from './report-data.ts'
import {
  accuracyTables,
  agreementTables,
  checklistTable,
  cohortTable,
  galleryTables,
  modelTables,
  readersTable,
  sampleTable,
} from './report-tables.ts'
import { tableHtml } from './tables.ts'

/**
 * Print-first layout [R1]: the page's margins come from `@page` so the same HTML prints inside
 * the printable area of A4 and US Letter; tables may wrap any cell rather than overflow;
 * figures scale down to the text width; thumbnails are 48 mm wide (a drain must be visible).
 */
const CSS = `
@page{margin:14mm 12mm}
body{font-family:system-ui,-apple-system,"Segoe UI","DejaVu Sans",sans-serif;margin:24px auto;max-width:1120px;color:#222;font-size:14px;padding:0 12px}
@media print{body{margin:0;max-width:none;padding:0;font-size:11px}}
h1{font-size:22px}h2{font-size:18px;border-bottom:1px solid #ccc;padding-bottom:4px;margin-top:28px;break-after:avoid}h3{font-size:15px;break-after:avoid}
table{border-collapse:collapse;margin:8px 0;font-size:11px;max-width:100%}th,td{border:1px solid #ccc;padding:2px 5px;text-align:right;overflow-wrap:anywhere}
th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}caption{text-align:left;font-weight:bold;padding:2px 0}
.note{color:#555;font-size:12px}.sheet{display:flex;flex-wrap:wrap;gap:3mm}
svg{max-width:100%;height:auto}
figure{margin:0;width:48mm;font-size:9px;break-inside:avoid;overflow-wrap:anywhere}figure .img{box-sizing:border-box;width:48mm;height:48mm;background:#111;color:#aaa;display:flex;align-items:center;justify-content:center;text-align:center}
figure img{box-sizing:border-box;width:48mm;height:48mm;object-fit:contain;background:#000;display:block}
.red{border:3px solid #d62728}.orange{border:3px solid #ff9f1c}
.methods p{max-width:60em}
section{break-inside:auto}tr,figure{break-inside:avoid}code{font-size:11px;overflow-wrap:anywhere;word-break:break-all}
`

/**
 * The report as one self-contained HTML page [L17]-[L19]: no script, no external resource
 * (a Content-Security-Policy forbids them), images inline as data URIs, every text escaped.
 */
export function renderReportHtml(m: ReportModel): string {
  const a = m.accuracy
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">`,
    `<title>${esc(m.title)}</title><style>${CSS}</style></head><body>`,
    `<h1>${esc(m.title)}</h1>`,
    `<p class="note">Generated ${esc(m.generatedAt)} by cxr-audit ${esc(m.versions.cxrAudit)}. Dataset "${esc(m.dataset)}"; reader ${esc(a.reader)}${a.consensus ? ` (majority of ${a.readers.length} readers, ties uncertain)` : ''}; ${esc(a.ci)} ${esc(Math.round(a.confidence * 100))}% intervals.</p>`,
    accuracySection(m),
    agreementSection(m),
    modelsSection(m),
    sampleSection(m),
    readersSection(m),
    casesSection(m.cases),
    cohortSection(m),
    methodsSection(m),
    checklistSection(m),
    versionsSection(m),
    '</body></html>',
  ].join('\n')
}

function accuracySection(m: ReportModel): string {
  const a = m.accuracy
  const out = [
    '<section><h2>Label accuracy</h2>',
    // [L25]: films on unfinished pages are left out, and the report says how many
    `<p class="note" id="unfinished-images">${esc(
      a.unfinishedImages === 0
        ? 'Unfinished pages: none (every counted film is on a finished page).'
        : `Unfinished pages: ${a.unfinishedImages} film${a.unfinishedImages === 1 ? '' : 's'} left out until the reader finishes their page.`,
    )}</p>`,
  ]
  if (a.findings.length === 0) out.push('<p>No verdicts yet.</p>')
  else {
    out.push(
      ...accuracyTables(m).map((t) => tableHtml(t, { caption: true })),
      `<p class="note">PPV = present / labelled positive; lenient PPV counts uncertain as present; NPV = absent / labelled negative; sensitivity and specificity of the original labels take the reader as truth and leave uncertain verdicts out. Published precision: ${esc(a.findings.find((f) => f.publishedSource !== null)?.publishedSource ?? 'Wang et al. 2017')}.</p>`,
      forestPlotSvg(
        a.findings.map((f) => ({
          label: f.finding,
          value: f.ppv,
          low: f.ppvLow,
          high: f.ppvHigh,
          published: f.publishedPrecision,
          n: f.labelledPositive,
          lenient: { value: f.ppvLenient, low: f.ppvLenientLow, high: f.ppvLenientHigh },
        })),
        'Positive predictive value of the original labels',
      ),
    )
  }
  for (const n of a.noCounterpart)
    out.push(`<p class="note">${esc(n.finding)} (in ${esc(n.file)}): ${esc(n.reason)}.</p>`)
  out.push('</section>')
  return out.join('\n')
}

function agreementSection(m: ReportModel): string {
  const g = m.agreement
  const out = ['<section><h2>Reader agreement</h2>']
  if (g === null) {
    out.push(`<p>${esc(m.agreementNote ?? 'No agreement measured.')}</p></section>`)
    return out.join('\n')
  }
  out.push(
    `<p class="note">${esc(g.readers.length)} readers: ${esc(g.readers.join(', '))}. Categories present, absent, uncertain. Fleiss' kappa over images with at least two reads (each image weighted equally whatever its number of reads); ${esc(Math.round(g.confidence * 100))}% ${esc(g.interval)}, seed ${esc(g.seed)}, ${esc(g.replicates)} resamples.</p>`,
  )
  const [first, ...pairs] = agreementTables(m)
  out.push(tableHtml(first!))
  for (const t of pairs) out.push(`<h3>${esc(t.title)}</h3>`, tableHtml(t))
  out.push('</section>')
  return out.join('\n')
}

function modelsSection(m: ReportModel): string {
  if (m.models.length === 0) return ''
  const out = ['<section><h2>Models</h2>']
  const tables = modelTables(m)
  for (const s of m.models) {
    out.push(`<h3>${esc(s.model)}</h3>`)
    for (const t of tables.filter(
      (x) => x.id.startsWith(`model-`) && x.title.startsWith(`${s.model}:`),
    ))
      out.push(tableHtml(t, { caption: true }))
    for (const t of galleryTables(m).filter((x) => x.title.startsWith(`${s.model}:`)))
      out.push(tableHtml(t, { caption: true }))
    for (const e of s.evaluations) out.push(rocPlotSvg(e), calibrationPlotSvg(e))
  }
  out.push(
    '<p class="note">AUC: Mann-Whitney (ties one half) with 95% DeLong intervals; uncertain truths left out. Against a reader, every verdict of that reader (or the consensus) counts.</p></section>',
  )
  return out.join('\n')
}

function sampleSection(m: ReportModel): string {
  return [
    '<section><h2>Sample and seed</h2>',
    `<p>${esc(m.sample.description)}</p>`,
    m.sample.seed === null ? '' : `<p>Sampling seed: <code>${esc(m.sample.seed)}</code>.</p>`,
    m.sample.plan === null
      ? ''
      : `<p>Plan: <code>${esc(JSON.stringify(m.sample.plan).slice(0, 4000))}</code></p>`,
    m.agreement === null
      ? ''
      : `<p>Bootstrap seed of the agreement intervals: <code>${esc(m.agreement.seed)}</code>.</p>`,
    tableHtml(sampleTable(m)),
    '</section>',
  ].join('\n')
}

function readersSection(m: ReportModel): string {
  const reading = readingTable(m)
  return [
    '<section><h2>Readers</h2>',
    tableHtml(readersTable(m)),
    ...(reading === null ? [] : [tableHtml(reading)]),
    '</section>',
  ].join('\n')
}

const LABEL_TEXT: Record<string, string> = {
  '1': 'labelled positive',
  '0': 'labelled negative',
  '-1': 'labelled uncertain',
}

function figure(c: ReportCase, colour: 'red' | 'orange'): string {
  const caption = `${c.image} · ${c.age ?? '?'} ${c.sex} ${c.view} · ${LABEL_TEXT[String(c.label)] ?? ''}, judged ${c.verdict}${c.reads > 1 ? ` (${c.reads} reads)` : ''}${c.tags.length > 0 ? ` · ${c.tags.join(', ')}` : ''}`
  const image =
    c.thumbnail === null
      ? `<div class="img ${colour}">not on disk</div>`
      : `<img class="${colour}" src="${esc(c.thumbnail)}" alt="${esc(c.image)}">`
  return `<figure>${image}<figcaption>${esc(caption)}</figcaption></figure>`
}

function casesSection(cases: readonly ReportCases[]): string {
  const out = [
    '<section><h2>Contact sheets: red and orange cases</h2>',
    '<p class="note">Red: the original label contradicted (labelled positive judged absent, or labelled negative judged present). Orange: uncertain.</p>',
  ]
  for (const c of cases) {
    out.push(`<h3>${esc(c.finding)}</h3>`)
    for (const [colour, list, total] of [
      ['red', c.red, c.redTotal],
      ['orange', c.orange, c.orangeTotal],
    ] as const) {
      if (total === 0) continue
      out.push(
        `<p>${esc(colour)}: ${esc(total)} case${total === 1 ? '' : 's'}${list.length < total ? `, first ${esc(list.length)} by image name` : ''}</p>`,
        `<div class="sheet">${list.map((x) => figure(x, colour)).join('')}</div>`,
      )
    }
    if (c.redTotal + c.orangeTotal === 0) out.push('<p>No red or orange case.</p>')
  }
  out.push('</section>')
  return out.join('\n')
}

function cohortSection(m: ReportModel): string {
  const c = m.cohort
  const out = [
    '<section><h2>Cohort</h2>',
    `<p>${esc(c.images)} images of ${esc(c.patients)} patients, ${esc(c.imagesOnDisk)} on disk.${c.leakage.patients > 0 ? ` ${esc(c.leakage.patients)} patients have images in more than one split.` : ''}</p>`,
  ]
  const t = cohortTable(m)
  if (t === null || c.cohort.compared === null) {
    out.push('<p>No split to compare (import the split lists to see train against test).</p>')
  } else {
    out.push(
      `<p class="note">${esc(c.cohort.splits.join(' vs '))}; standardised mean difference between ${esc(c.cohort.compared.join(' and '))}, flagged (*) where |SMD| &gt; 0.1.</p>`,
      tableHtml(t),
    )
  }
  out.push('</section>')
  return out.join('\n')
}

function methodsSection(m: ReportModel): string {
  return [
    '<section class="methods"><h2>Methods</h2>',
    '<p class="note">Generated from the database; paste it as it is, or take it as text with <code>cxr-audit report --methods</code>.</p>',
    ...methodsParagraphs(m).map((p) =>
      p.heading === 'References'
        ? `<h3>References</h3><ol>${p.sentences.map((s) => `<li>${esc(s)}</li>`).join('')}</ol>`
        : `<p><b>${esc(p.heading)}.</b> ${esc(p.sentences.join(' '))}</p>`,
    ),
    '</section>',
  ].join('\n')
}

function checklistSection(m: ReportModel): string {
  return [
    '<section><h2>Reporting checklist</h2>',
    '<p class="note">Items of STARD 2015 (Bossuyt et al., BMJ 2015) and CLAIM (Mongan et al., Radiology: Artificial Intelligence 2020) that a label audit or a model validation can answer from its own data; the others are the authors\' to answer.</p>',
    tableHtml(checklistTable(m)),
    '</section>',
  ].join('\n')
}

const row = (cells: readonly unknown[]): string =>
  `<tr>${cells.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`

function versionsSection(m: ReportModel): string {
  const v = m.versions
  return [
    '<section><h2>Versions and sources</h2><table>',
    row(['cxr-audit', v.cxrAudit]),
    row(['Node.js', v.node]),
    row(['database', v.database]),
    row(['sharp', v.sharp]),
    ...(v.chromium === undefined ? [] : [row(['Chromium (PDF)', v.chromium])]),
    row(['platform', v.platform]),
    '</table>',
    '<p class="note">ChestX-ray14: NIH Clinical Center (Wang et al., CVPR 2017), https://nihcc.app.box.com/v/ChestXray-NIHCC. Published text-mining precision: Wang et al. 2017, appendix. Expert relabels, when imported from Google: Majkowska et al., Radiology 2020.</p>',
    '</section>',
  ].join('\n')
}
