import { importChexpert, type ChexpertImportSummary, type ChexpertSource } from '@cxr-audit/ingest'
import type { Context } from '../context.ts'
import { itemsSummary } from './items-summary.ts'

export interface ImportChexpertOptions {
  file: string[]
  images?: string[]
  name?: string
  skipBadRows?: boolean
}

/** `cxr-audit import chexpert` [DS1]; `source` reads its one file in a worker thread. */
export async function importChexpertCommand(
  ctx: Context,
  o: ImportChexpertOptions,
  source?: ChexpertSource,
): Promise<ChexpertImportSummary> {
  const store = await ctx.store()
  const s = await importChexpert(store, {
    files: o.file,
    images: o.images,
    name: o.name,
    skipBadRows: o.skipBadRows,
    source,
    onProgress: (stage, done, total) => ctx.progress.update(stage, done, total),
  })
  ctx.progress.done()
  ctx.say(itemsSummary(s))
  return s
}
