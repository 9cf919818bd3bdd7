import { DEFAULT_TAGS, pageCount, pageRange, SHEET_SIZE } from '@cxr-audit/core'
import { imageSheetItems, listDatasets, listFindings, storedLabels } from '@cxr-audit/store'
import type { FastifyPluginAsync } from 'fastify'
import type { Workbench } from '../app.ts'
import type { DatasetDto, DatasetPageDto, FindingOption, SheetDto } from '@cxr-audit/contract'
import { ApiError } from '../errors.ts'
import { examplesWithoutPatients } from '../privacy.ts'
import { idParams, pageQuery, readerQuery } from './params.ts'
import { toItemDto } from './sheet-dto.ts'

async function dataset(wb: Workbench, id: number): Promise<DatasetDto> {
  const d = (await listDatasets(wb.store.db)).find((x) => x.id === id)
  if (d === undefined) throw new ApiError(404, 'not-found', `no dataset ${id}`)
  return {
    id: d.id,
    name: d.name,
    sourceFormat: d.sourceFormat,
    importedAt: d.importedAt,
    images: d.images,
    imagesOnDisk: d.imagesOnDisk,
  }
}

/** Labelled positives and negatives on disk per finding (derived: the union of its parts). */
async function findingOptions(wb: Workbench, ds: DatasetDto): Promise<FindingOption[]> {
  const db = wb.store.db
  const findings = await listFindings(db, ds.id)
  const rows = await storedLabels(db, ds.id, { onDisk: true })
  const idOf = new Map(findings.map((f) => [f.name, f.id]))
  return findings.map((f) => {
    const parts = new Set((f.derivedFrom ?? [f.name]).map((n) => idOf.get(n)))
    const pos = new Set<number>()
    const unsure = new Set<number>()
    // 1 positive, -1 uncertain (never drawn); 0 is a negative mention (CheXpert), a negative
    for (const r of rows)
      if (parts.has(r.findingId) && r.value !== 0) (r.value === 1 ? pos : unsure).add(r.imageId)
    for (const id of pos) unsure.delete(id)
    return {
      findingId: f.id,
      name: f.name,
      derivedFrom: f.derivedFrom,
      positivesOnDisk: pos.size,
      negativesOnDisk: ds.imagesOnDisk - pos.size - unsure.size,
      uncertainOnDisk: unsure.size,
    }
  })
}

/** The dataset page: counts, prevalence, co-occurrence, cohort and problems [W20]. */
export function datasetRoutes(wb: Workbench): FastifyPluginAsync {
  return async (app) => {
    app.get('/api/datasets', { config: { access: 'results' } }, async () => {
      const all = await listDatasets(wb.store.db)
      return { datasets: await Promise.all(all.map((d) => dataset(wb, d.id))) }
    })

    app.get<{ Params: { id: number } }>(
      '/api/datasets/:id',
      { config: { access: 'results' }, schema: { params: idParams } },
      async (request): Promise<DatasetPageDto> => {
        const ds = await dataset(wb, request.params.id)
        const entry = await wb.checks.get(ds.id)
        const r = entry.report
        return {
          dataset: ds,
          patients: r.patients,
          prevalence: r.prevalence,
          cooccurrence: r.cooccurrence,
          cohort: r.cohort,
          tagsBySplit: r.tagsBySplit,
          problems: r.problems.map((p) => ({
            kind: p.kind,
            description: p.description,
            count: p.count,
            examples: examplesWithoutPatients(p.kind, p.examples),
            onDisk: entry.onDisk.get(p.kind)?.length ?? 0,
          })),
          privacy: r.privacy,
        }
      },
    )

    app.get<{ Params: { id: number } }>(
      '/api/datasets/:id/findings',
      { config: { access: 'results' }, schema: { params: idParams } },
      async (request) => ({
        findings: await findingOptions(wb, await dataset(wb, request.params.id)),
      }),
    )

    app.get<{
      Params: { id: number; kind: string }
      Querystring: { page: number; reader?: number }
    }>(
      '/api/datasets/:id/problems/:kind',
      {
        // original labels of any film: the admin's (readers review assigned audits only)
        config: { access: 'admin' },
        schema: {
          params: {
            type: 'object',
            required: ['id', 'kind'],
            properties: {
              id: idParams.properties.id,
              kind: { type: 'string', pattern: '^[a-z0-9-]{1,60}$' },
            },
          },
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: { page: pageQuery, reader: readerQuery },
          },
        },
      },
      async (request): Promise<SheetDto> => {
        const { id, kind } = request.params
        const ds = await dataset(wb, id)
        const entry = await wb.checks.get(ds.id)
        const problem = entry.report.problems.find((p) => p.kind === kind)
        if (problem === undefined)
          throw new ApiError(404, 'not-found', `the dataset has no problem "${kind}"`)
        const images = entry.onDisk.get(kind) ?? []
        const pages = pageCount(images.length)
        const page = request.query.page
        if (page >= pages) throw new ApiError(404, 'not-found', `page ${page} is past the last`)
        const [start, end] = pageRange(page, images.length)
        const items = await imageSheetItems(
          wb.store.db,
          ds.id,
          images.slice(start, end).map((i) => i.id),
          request.query.reader ?? null,
        )
        return {
          kind: 'problem',
          audit: null,
          dataset: { id: ds.id, name: ds.name },
          finding: null,
          problem: { kind, description: problem.description },
          tags: [...DEFAULT_TAGS],
          page,
          pages,
          pageSize: SHEET_SIZE,
          total: images.length,
          items: items.map((it) => toItemDto(it, false)),
          next: page + 1 < pages ? { findingId: 0, page: page + 1 } : null,
          previous: page > 0 ? { findingId: 0, page: page - 1 } : null,
        }
      },
    )
  }
}
