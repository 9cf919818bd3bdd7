import type { AgreementReport, FindingAccuracy } from '@cxr-audit/store'
import type { AccuracyStats } from '@cxr-audit/core'
import { esc, num, pct } from './escape.ts'
import { forestPlotSvg } from './forest-plot.ts'
import type { ReportCase, ReportCases, ReportModel } from './report-data.ts'

const CSS = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1240px;color:#222;font-size:14px}
h1{font-size:22px}h2{font-size:18px;border-bottom:1px solid #ccc;padding-bottom:4px;margin-top:32px}h3{font-size:15px}
table{border-collapse:collapse;margin:8px 0;font-size:12px}th,td{border:1px solid #ccc;padding:3px 6px;text-align:right}
th{background:#f3f3f3}td{white-space:nowrap}td:first-child{white-space:normal}td:first-child,th:first-child{text-align:left}
.note{color:#555;font-size:12px}.sheet{display:flex;flex-wrap:wrap;gap:6px}
figure{margin:0;width:136px;font-size:10px;break-inside:avoid}figure .img{width:128px;height:128px;background:#111;color:#aaa;display:flex;align-items:center;justify-content:center;text-align:center}
figure img{width:128px;height:128px;object-fit:contain;background:#000;display:block}
.red{border:3px solid #d62728}.orange{border:3px solid #ff9f1c}
section{break-inside:auto}tr,figure{break-inside:avoid}code{font-size:12px}
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
    agreementSection(m.agreement, m.agreementNote),
    sampleSection(m),
    readersSection(m),
    casesSection(m.cases),
    cohortSection(m),
    versionsSection(m),
    '</body></html>',
  ].join('\n')
}

const row = (cells: readonly unknown[], head = false): string =>
  `<tr>${cells.map((c) => (head ? `<th>${esc(c)}</th>` : `<td>${esc(c)}</td>`)).join('')}</tr>`

const ci = (v: number | null, lo: number | null, hi: number | null): string =>
  v === null ? '' : `${pct(v)} [${pct(lo)}, ${pct(hi)}]`

function accuracyTable(
  rows: readonly (FindingAccuracy | (FindingAccuracy & { group?: string }))[],
  first: string,
  names: readonly string[],
): string {
  return [
    '<table>',
    row(
      [
        first,
        'labelled +',
        'present',
        'absent',
        'uncertain',
        'PPV [95% CI]',
        'lenient PPV [95% CI]',
        'unusable',
        'published precision',
        'labelled -',
        'present',
        'absent',
        'uncertain',
        'NPV [95% CI]',
        'sensitivity',
        'specificity',
      ],
      true,
    ),
    ...rows.map((f, i) =>
      row([
        names[i],
        f.labelledPositive,
        f.present,
        f.absent,
        f.uncertain,
        ns(f, 'positives', ci(f.ppv, f.ppvLow, f.ppvHigh)),
        ns(f, 'positives', ci(f.ppvLenient, f.ppvLenientLow, f.ppvLenientHigh)),
        f.unusable ?? '',
        f.publishedPrecision === undefined || f.publishedPrecision === null
          ? ''
          : pct(f.publishedPrecision),
        f.labelledNegative,
        f.negativePresent,
        f.negativeAbsent,
        f.negativeUncertain,
        ns(f, 'negatives', ci(f.npv, f.npvLow, f.npvHigh)),
        ns(f, 'both', ci(f.sensitivity, f.sensitivityLow, f.sensitivityHigh)),
        ns(f, 'both', ci(f.specificity, f.specificityLow, f.specificityHigh)),
      ]),
    ),
    '</table>',
  ].join('\n')
}

/** "not sampled" where the audit drew no film of the stratum a proportion needs [L23]. */
function ns(f: AccuracyStats, stratum: 'positives' | 'negatives' | 'both', text: string): string {
  const missing = stratum === 'both' ? f.notSampled.length > 0 : f.notSampled.includes(stratum)
  return missing ? 'not sampled' : text
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
      accuracyTable(
        a.findings,
        'finding',
        a.findings.map((f) =>
          f.derived ? `${f.finding} (derived: ${(f.from ?? []).join(' | ')})` : f.finding,
        ),
      ),
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

function agreementSection(g: AgreementReport | null, note: string | null): string {
  const out = ['<section><h2>Reader agreement</h2>']
  if (g === null) {
    out.push(`<p>${esc(note ?? 'No agreement measured.')}</p></section>`)
    return out.join('\n')
  }
  out.push(
    `<p class="note">${esc(g.readers.length)} readers: ${esc(g.readers.join(', '))}. Categories present, absent, uncertain. Fleiss' kappa over images with at least two reads (each image weighted equally whatever its number of reads); ${esc(Math.round(g.confidence * 100))}% ${esc(g.interval)}, seed ${esc(g.seed)}, ${esc(g.replicates)} resamples.</p>`,
    '<table>',
    row(
      [
        'finding',
        'images',
        'reads',
        'reads per image',
        "Fleiss' kappa (95% CI)",
        'percent agreement',
        'unanimous',
      ],
      true,
    ),
    ...g.findings.map((f) =>
      row([
        f.finding,
        f.images,
        f.reads,
        Object.entries(f.readsPerImage)
          .map(([k, v]) => `${k} reads: ${v}`)
          .join(', '),
        f.fleissKappa === null
          ? (f.note ?? 'undefined')
          : `${num(f.fleissKappa)} (${num(f.fleissKappaLow)} to ${num(f.fleissKappaHigh)})`,
        pct(f.percentAgreement),
        pct(f.unanimous),
      ]),
    ),
    '</table>',
  )
  for (const f of g.findings) {
    if (f.pairs.length === 0) continue
    out.push(
      `<h3>${esc(f.finding)}: pairs of readers</h3><table>`,
      row(['reader a', 'reader b', 'images', "Cohen's kappa (95% CI)", 'percent agreement'], true),
      ...f.pairs.map((p) =>
        row([
          p.a,
          p.b,
          p.images,
          p.cohenKappa === null
            ? (p.note ?? 'undefined')
            : `${num(p.cohenKappa)} (${num(p.cohenKappaLow)} to ${num(p.cohenKappaHigh)})`,
          pct(p.percentAgreement),
        ]),
      ),
      '</table>',
    )
  }
  out.push('</section>')
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
    '<table>',
    row(['finding', 'judged', 'labelled positive', 'labelled negative'], true),
    ...m.sample.findings.map((f) =>
      row([f.finding, f.judged, f.labelledPositive, f.labelledNegative]),
    ),
    '</table></section>',
  ].join('\n')
}

function readersSection(m: ReportModel): string {
  return [
    '<section><h2>Readers</h2><table>',
    row(
      ['reader', 'kind', 'imported from (file, SHA-256, time)', 'columns', 'no counterpart'],
      true,
    ),
    ...m.readers.map((r) =>
      row([
        r.name,
        r.kind,
        r.imports.map((i) => `${i.file} (${i.sha256.slice(0, 12)}..., ${i.importedAt})`).join('; '),
        [
          ...new Set(
            r.imports.flatMap((i) =>
              Object.entries(i.mapped).map(([c, f]) => (c === f ? c : `${c} -> ${f}`)),
            ),
          ),
        ].join(', '),
        [...new Set(r.imports.flatMap((i) => i.unmatched))].join(', '),
      ]),
    ),
    '</table></section>',
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
  if (c.cohort.compared === null) {
    out.push('<p>No split to compare (import the split lists to see train against test).</p>')
  } else {
    out.push(
      `<p class="note">${esc(c.cohort.splits.join(' vs '))}; standardised mean difference between ${esc(c.cohort.compared.join(' and '))}, flagged (*) where |SMD| &gt; 0.1.</p><table>`,
      row(['variable', ...c.cohort.splits, 'SMD', ''], true),
      ...c.cohort.rows.map((r) =>
        row([
          `${r.variable}: ${r.level}`,
          ...c.cohort.splits.map((s) => {
            const v = r.values[s]
            if (v === undefined) return ''
            return r.variable === 'age' || r.variable === 'images per patient'
              ? `${num(v.value, 2)}${v.sd === undefined || v.sd === null ? '' : ` (${num(v.sd, 2)})`}`
              : `${v.n} (${pct(v.value)})`
          }),
          num(r.smd),
          r.flag ? '*' : '',
        ]),
      ),
      '</table>',
    )
  }
  out.push('</section>')
  return out.join('\n')
}

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
