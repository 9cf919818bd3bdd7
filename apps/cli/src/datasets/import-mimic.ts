import { importMimic, type MimicImportSummary } from '@cxr-audit/ingest'
import type { Context } from '../context.ts'
import { UsageError } from '../errors.ts'
import { itemsSummary } from './items-summary.ts'

export interface ImportMimicOptions {
  metadata?: string
  labels?: string
  file?: string
  split?: string
  images?: string[]
  name?: string
  skipBadRows?: boolean
}

/** `cxr-audit import mimic` [DS8]. */
export async function importMimicCommand(
  ctx: Context,
  o: ImportMimicOptions,
): Promise<MimicImportSummary> {
  const labels = o.labels ?? o.file
  if (o.metadata === undefined)
    throw new UsageError('give the films: --metadata mimic-cxr-2.0.0-metadata.csv.gz')
  if (labels === undefined)
    throw new UsageError('give the labels: --labels mimic-cxr-2.0.0-chexpert.csv.gz (or -negbio)')
  const store = await ctx.store()
  const s = await importMimic(store, {
    metadata: o.metadata,
    labels,
    split: o.split,
    images: o.images,
    name: o.name,
    skipBadRows: o.skipBadRows,
  })
  ctx.say(itemsSummary(s, `${s.labelledStudies} labelled studies`))
  return s
}
