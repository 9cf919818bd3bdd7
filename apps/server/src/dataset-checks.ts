import {
  checkDataset,
  imagesWithProblem,
  type CheckImage,
  type DatasetCheckReport,
  type Problem,
} from '@cxr-audit/core'
import {
  datasetCheckStamp,
  findDataset,
  imageIdsByName,
  listDatasets,
  loadCheckInput,
  type Db,
} from '@cxr-audit/store'
import { ApiError } from './errors.ts'

interface Entry {
  readonly stamp: string
  readonly report: DatasetCheckReport
  readonly images: CheckImage[]
  readonly findings: string[]
  readonly importProblems: Problem[]
  readonly onDisk: Map<string, { id: number; name: string }[]>
}

/**
 * `cxr-audit check` for the dataset page, computed once per import (the stamp is the import
 * time and the findings), with the images each problem concerns on disk [W20].
 */
export class DatasetChecks {
  readonly #entries = new Map<number, Promise<Entry>>()
  constructor(readonly db: Db) {}

  async #stamp(datasetId: number): Promise<{ stamp: string; name: string }> {
    const d = (await listDatasets(this.db)).find((x) => x.id === datasetId)
    if (d === undefined) throw new ApiError(404, 'not-found', `no dataset ${datasetId}`)
    // the check changes with an import, a (re)derived finding, or new pixel facts
    return { stamp: await datasetCheckStamp(this.db, d), name: d.name }
  }

  async get(datasetId: number): Promise<Entry> {
    const { stamp, name } = await this.#stamp(datasetId)
    const known = this.#entries.get(datasetId)
    if (known !== undefined) {
      const entry = await known.catch(() => undefined)
      if (entry !== undefined && entry.stamp === stamp) return entry
    }
    const fresh = this.#compute(name, stamp)
    this.#entries.set(datasetId, fresh)
    fresh.catch(() => this.#entries.delete(datasetId))
    return fresh
  }

  async #compute(name: string, stamp: string): Promise<Entry> {
    const dataset = await findDataset(this.db, name)
    const input = await loadCheckInput(this.db, dataset)
    const report = checkDataset({ dataset: dataset.name, ...input })
    const onDisk = new Map<string, { id: number; name: string }[]>()
    const stored = new Set(input.images.filter((im) => im.onDisk).map((im) => im.name))
    for (const p of report.problems) {
      const names = imagesWithProblem(p.kind, input.images, input.findings, report.problems, {
        facts: input.imageFacts,
        duplicates: report.duplicates,
      })
      const found = await imageIdsByName(
        this.db,
        dataset.id,
        names.filter((n) => stored.has(n)),
      )
      onDisk.set(
        p.kind,
        found.filter((f) => f.onDisk).map((f) => ({ id: f.id, name: f.name })),
      )
    }
    return {
      stamp,
      report,
      images: input.images,
      findings: input.findings,
      importProblems: input.importProblems,
      onDisk,
    }
  }
}
