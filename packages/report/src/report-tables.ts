import { readingTable } from './reading-methods.ts'
import type { FindingAccuracy } from '@cxr-audit/store'
import { galleryCallTables, type AccuracyStats } from '@cxr-audit/core'
import { checklist } from './checklist.ts'
import { num, pct } from './escape.ts'
import type { ReportModel } from './report-data.ts'
import type { ReportTable } from './tables.ts'

const ci = (v: number | null, lo: number | null, hi: number | null): string =>
  v === null ? '' : `${pct(v)} [${pct(lo)}, ${pct(hi)}]`

const findingName = (f: FindingAccuracy): string =>
  f.derived ? `${f.finding} (derived: ${(f.from ?? []).join(' | ')})` : f.finding

/** Makes a name safe for a file stem. */
export const slug = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') || 'x'

/**
 * The label-accuracy table in two halves [R1]: the fifteen columns of one table do not fit a
 * portrait A4 or Letter page, so the positives and the negatives each get their own.
 */
/** "not sampled" where the audit drew no film of the stratum a proportion needs [L23]. */
function notSampled(
  f: AccuracyStats,
  stratum: 'positives' | 'negatives' | 'both',
  text: string,
): string {
  const missing = stratum === 'both' ? f.notSampled.length > 0 : f.notSampled.includes(stratum)
  return missing ? 'not sampled' : text
}

export function accuracyTables(m: ReportModel): ReportTable[] {
  const f = m.accuracy.findings
  return [
    {
      id: 'label-accuracy-positives',
      title: 'Films labelled positive: verdicts and positive predictive value',
      columns: [
        'finding',
        'labelled +',
        'present',
        'absent',
        'uncertain',
        'PPV [95% CI]',
        'lenient PPV [95% CI]',
        'unusable',
        'published precision',
      ],
      rows: f.map((r) => [
        findingName(r),
        r.labelledPositive,
        r.present,
        r.absent,
        r.uncertain,
        notSampled(r, 'positives', ci(r.ppv, r.ppvLow, r.ppvHigh)),
        notSampled(r, 'positives', ci(r.ppvLenient, r.ppvLenientLow, r.ppvLenientHigh)),
        r.unusable,
        r.publishedPrecision === null ? '' : pct(r.publishedPrecision),
      ]),
    },
    {
      id: 'label-accuracy-negatives',
      title: 'Films labelled negative, and the labels\u2019 sensitivity and specificity',
      columns: [
        'finding',
        'labelled -',
        'present',
        'absent',
        'uncertain',
        'NPV [95% CI]',
        'sensitivity [95% CI]',
        'specificity [95% CI]',
      ],
      rows: f.map((r) => [
        findingName(r),
        r.labelledNegative,
        r.negativePresent,
        r.negativeAbsent,
        r.negativeUncertain,
        notSampled(r, 'negatives', ci(r.npv, r.npvLow, r.npvHigh)),
        notSampled(r, 'both', ci(r.sensitivity, r.sensitivityLow, r.sensitivityHigh)),
        notSampled(r, 'both', ci(r.specificity, r.specificityLow, r.specificityHigh)),
      ]),
    },
  ]
}

export function agreementTables(m: ReportModel): ReportTable[] {
  const g = m.agreement
  if (g === null) return []
  const out: ReportTable[] = [
    {
      id: 'reader-agreement',
      title: 'Reader agreement per finding',
      columns: [
        'finding',
        'images',
        'reads',
        'reads per image',
        "Fleiss' kappa (95% CI)",
        'percent agreement',
        'unanimous',
      ],
      rows: g.findings.map((f) => [
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
    },
  ]
  for (const f of g.findings) {
    if (f.pairs.length === 0) continue
    out.push({
      id: `reader-pairs-${slug(f.finding)}`,
      title: `${f.finding}: pairs of readers`,
      columns: ['reader a', 'reader b', 'images', "Cohen's kappa (95% CI)", 'percent agreement'],
      rows: f.pairs.map((p) => [
        p.a,
        p.b,
        p.images,
        p.cohenKappa === null
          ? (p.note ?? 'undefined')
          : `${num(p.cohenKappa)} (${num(p.cohenKappaLow)} to ${num(p.cohenKappaHigh)})`,
        pct(p.percentAgreement),
      ]),
    })
  }
  return out
}

export function sampleTable(m: ReportModel): ReportTable {
  return {
    id: 'sample',
    title: 'Films drawn and judged per finding',
    columns: ['finding', 'drawn', 'judged', 'labelled positive', 'labelled negative'],
    rows: m.sample.findings.map((f) => [
      f.finding,
      f.drawn ?? '',
      f.judged,
      f.labelledPositive,
      f.labelledNegative,
    ]),
  }
}

export function readersTable(m: ReportModel): ReportTable {
  return {
    id: 'readers',
    title: 'Readers',
    columns: ['reader', 'kind', 'imported from (file, SHA-256, time)', 'columns', 'no counterpart'],
    rows: m.readers.map((r) => [
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
  }
}

export function cohortTable(m: ReportModel): ReportTable | null {
  const c = m.cohort.cohort
  if (c.compared === null) return null
  return {
    id: 'cohort',
    title: 'Cohort by split',
    columns: ['variable', ...c.splits, 'SMD', 'flag'],
    rows: c.rows.map((r) => [
      `${r.variable}: ${r.level}`,
      ...c.splits.map((s) => {
        const v = r.values[s]
        if (v === undefined) return ''
        return r.variable === 'age' || r.variable === 'images per patient'
          ? `${num(v.value, 2)}${v.sd === undefined || v.sd === null ? '' : ` (${num(v.sd, 2)})`}`
          : `${v.n} (${pct(v.value)})`
      }),
      num(r.smd),
      r.flag ? '*' : '',
    ]),
  }
}

/** Per model: AUC against the original labels and the readers, and the operating points [R10]. */
export function modelTables(m: ReportModel): ReportTable[] {
  const out: ReportTable[] = []
  for (const s of m.models) {
    const [original, reader] = s.evaluations
    const auc = (v: number | null, lo: number | null, hi: number | null): string =>
      v === null ? '' : `${num(v)} [${num(lo)}, ${num(hi)}]`
    out.push({
      id: `model-${slug(s.model)}-auc`,
      title: `${s.model}: AUC against the original labels${reader === undefined ? '' : ` and ${reader.against}`}`,
      columns: [
        'finding',
        'n (+/-), original',
        'AUC [95% CI], original',
        ...(reader === undefined
          ? []
          : [`n (+/-), ${reader.against}`, `AUC [95% CI], ${reader.against}`]),
      ],
      rows: original!.findings.map((f) => {
        const r = reader?.findings.find((x) => x.finding === f.finding)
        return [
          f.finding,
          `${f.n} (${f.positives}/${f.negatives})`,
          auc(f.auc, f.aucLow, f.aucHigh),
          ...(reader === undefined
            ? []
            : r === undefined
              ? ['', '']
              : [`${r.n} (${r.positives}/${r.negatives})`, auc(r.auc, r.aucLow, r.aucHigh)]),
        ]
      }),
    })
    out.push({
      id: `model-${slug(s.model)}-thresholds`,
      title: `${s.model}: operating points (${original!.threshold})`,
      columns: [
        'finding',
        'against',
        'threshold',
        'sensitivity',
        'specificity',
        'PPV',
        'NPV',
        'TP/FP/TN/FN',
      ],
      rows: s.evaluations.flatMap((e) =>
        e.findings.map((f) => {
          const p = f.operatingPoint
          return [
            f.finding,
            e.against,
            p === null ? '' : num(p.threshold, 4),
            p === null ? '' : pct(p.sensitivity),
            p === null ? '' : pct(p.specificity),
            p === null ? '' : pct(p.ppv),
            p === null ? '' : pct(p.npv),
            p === null ? '' : `${p.tp}/${p.fp}/${p.tn}/${p.fn}`,
          ]
        }),
      ),
    })
  }
  return out
}

/** The reviewed error galleries of each model [R10]. */
export function galleryTables(m: ReportModel): ReportTable[] {
  return m.models
    .filter((s) => s.galleries.length > 0)
    .flatMap((s) => [galleryTable(s), ...galleryCallTable(s)])
}

/**
 * The model's call against the reader once its four galleries are reviewed [M45], the same
 * `galleryCallTables` as the models page.
 */
function galleryCallTable(s: ReportModel['models'][number]): ReportTable[] {
  const complete = galleryCallTables(s.galleries).filter((t) => t.complete)
  if (complete.length === 0) return []
  const ci = (low: number | null, high: number | null): string =>
    low === null || high === null ? '' : ` (${pct(low)} to ${pct(high)})`
  return [
    {
      id: `model-${slug(s.model)}-gallery-calls`,
      title: `${s.model}: the model's call against the reader (reviewed galleries)`,
      columns: [
        'finding',
        'threshold',
        'called positive: present / absent / uncertain',
        'called negative: present / absent / uncertain',
        'PPV against the reader (95% Wilson)',
        'NPV against the reader (95% Wilson)',
      ],
      rows: complete.map((t) => [
        t.finding,
        num(t.threshold, 4),
        `${t.calledPositive.present} / ${t.calledPositive.absent} / ${t.calledPositive.uncertain}`,
        `${t.calledNegative.present} / ${t.calledNegative.absent} / ${t.calledNegative.uncertain}`,
        `${pct(t.ppv)}${ci(t.ppvLow, t.ppvHigh)}`,
        `${pct(t.npv)}${ci(t.npvLow, t.npvHigh)}`,
      ]),
      note: 'Over the reviewed gallery films as drawn (each cell a sample of its own size, not weighted by the size of the cell); uncertain verdicts left out of PPV and NPV.',
    },
  ]
}

function galleryTable(s: ReportModel['models'][number]): ReportTable {
  return {
    id: `model-${slug(s.model)}-galleries`,
    title: `${s.model}: error galleries after review`,
    columns: [
      'finding',
      'cell',
      'threshold',
      'audit',
      'drawn',
      'judged',
      'present',
      'absent',
      'uncertain',
      "reader agrees with the model's call",
    ],
    rows: s.galleries.map((g) => [
      g.finding,
      g.cell.toUpperCase(),
      num(g.threshold, 4),
      g.audit,
      g.drawn,
      g.judged,
      g.present,
      g.absent,
      g.uncertain,
      g.judged === 0 ? 'not reviewed' : `${g.modelRight} (${pct(g.modelRight / g.judged)})`,
    ]),
  }
}

export function checklistTable(m: ReportModel): ReportTable {
  return {
    id: 'reporting-checklist',
    title: 'Reporting checklist: STARD 2015 and CLAIM',
    columns: ['guideline', 'item', 'topic', 'status', 'where in this report'],
    rows: checklist(m).map((i) => [i.guideline, i.item, i.topic, i.status, i.where]),
  }
}

/** Every table of the report, in the report's order (what the exports write). */
export function allTables(m: ReportModel): ReportTable[] {
  const cohort = cohortTable(m)
  const reading = readingTable(m)
  return [
    ...accuracyTables(m),
    ...agreementTables(m),
    sampleTable(m),
    readersTable(m),
    ...(reading === null ? [] : [reading]),
    ...modelTables(m),
    ...galleryTables(m),
    ...(cohort === null ? [] : [cohort]),
    checklistTable(m),
  ]
}
