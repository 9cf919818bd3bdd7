import type { IntervalMethod } from '@cxr-audit/core'
import { buildReport, renderReportHtml, reportExportsZip, writeReport } from '@cxr-audit/report'
import type { FastifyPluginAsync } from 'fastify'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Workbench } from '../app.ts'
import { auditResults, parseReaderParam } from '../audit-results.ts'
import type { ResultsDto } from '@cxr-audit/contract'
import { idParams } from './params.ts'
import { PRINTABLE } from './readers.ts'

/**
 * The report is a separate, self-contained page: its own policy lets its inline style apply and
 * still allows no script and no request at all [W28].
 */
export const REPORT_CSP =
  "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

const readerParam = { type: 'string', minLength: 1, maxLength: 2000, pattern: PRINTABLE } as const

const resultsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    reader: readerParam,
    by: { type: 'string', maxLength: 60, pattern: PRINTABLE },
    ci: { enum: ['wilson', 'clopper-pearson'] },
    seed: { type: 'integer', minimum: 0, maximum: 2147483647 },
    replicates: { type: 'integer', minimum: 100, maximum: 10000 },
  },
} as const

const reportQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { reader: readerParam },
} as const

interface ResultsRequest {
  Params: { id: number }
  Querystring: {
    reader?: string
    by?: string
    ci?: IntervalMethod
    seed?: number
    replicates?: number
  }
}

interface ReportRequest {
  Params: { id: number }
  Querystring: { reader?: string }
}

/** The results page's JSON and the downloadable report (HTML or PDF) of an audit. */
export function resultsRoutes(wb: Workbench): FastifyPluginAsync {
  return async (app) => {
    app.get<ResultsRequest>(
      '/api/audits/:id/results',
      { config: { access: 'results' }, schema: { params: idParams, querystring: resultsQuery } },
      async (request): Promise<ResultsDto> => {
        const audit = await wb.audit(request.params.id)
        return auditResults(wb.store, audit.id, audit.tags, request.query)
      },
    )

    app.get<ReportRequest>(
      '/api/audits/:id/report.html',
      { config: { access: 'results' }, schema: { params: idParams, querystring: reportQuery } },
      async (request, reply) => {
        const audit = await wb.audit(request.params.id)
        const model = await buildReport(wb.store, {
          auditId: audit.id,
          reader: parseReaderParam(request.query.reader),
        })
        return reply
          .header('content-security-policy', REPORT_CSP)
          .header('content-disposition', `attachment; filename="audit-${audit.id}-report.html"`)
          .type('text/html; charset=utf-8')
          .send(renderReportHtml(model))
      },
    )

    // every table (CSV, LaTeX) and figure (SVG, vector PDF) of the report in one ZIP [R8]
    app.get<ReportRequest>(
      '/api/audits/:id/report.zip',
      { config: { access: 'results' }, schema: { params: idParams, querystring: reportQuery } },
      async (request, reply) => {
        const audit = await wb.audit(request.params.id)
        const model = await buildReport(wb.store, {
          auditId: audit.id,
          reader: parseReaderParam(request.query.reader),
          thumbnails: false,
        })
        const zip = await reportExportsZip(model)
        return reply
          .header(
            'content-disposition',
            `attachment; filename="audit-${audit.id}-tables-figures.zip"`,
          )
          .type('application/zip')
          .send(zip)
      },
    )

    app.get<ReportRequest>(
      '/api/audits/:id/report.pdf',
      { config: { access: 'results' }, schema: { params: idParams, querystring: reportQuery } },
      async (request, reply) => {
        const audit = await wb.audit(request.params.id)
        const dir = await mkdtemp(join(tmpdir(), 'cxr-report-'))
        try {
          const out = join(dir, `audit-${audit.id}-report.pdf`)
          await writeReport(wb.store, out, {
            auditId: audit.id,
            reader: parseReaderParam(request.query.reader),
          })
          const pdf = await readFile(out)
          return reply
            .header('content-disposition', `attachment; filename="audit-${audit.id}-report.pdf"`)
            .type('application/pdf')
            .send(pdf)
        } finally {
          await rm(dir, { recursive: true, force: true })
        }
      },
    )
  }
}
