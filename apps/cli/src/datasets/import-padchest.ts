import { importPadchest, type PadchestImportSummary } from '@cxr-audit/ingest'
import type { Context } from '../context.ts'
import { itemsSummary } from './items-summary.ts'

export interface ImportPadchestOptions {
  file: string[]
  images?: string[]
  name?: string
  readerPrefix?: string
  skipBadRows?: boolean
}

/** `cxr-audit import padchest` [DS9]. */
export async function importPadchestCommand(
  ctx: Context,
  o: ImportPadchestOptions,
): Promise<PadchestImportSummary> {
  const store = await ctx.store()
  const s = await importPadchest(store, {
    files: o.file,
    images: o.images,
    name: o.name,
    readerPrefix: o.readerPrefix,
    skipBadRows: o.skipBadRows,
  })
  const methods = Object.entries(s.methods)
    .map(([m, n]) => `${m} ${n}`)
    .join(', ')
  ctx.say(
    itemsSummary(
      s,
      `labelled by ${methods}; ${s.bothLabelled} by both (readers: ${s.readers.join(', ') || 'none'})`,
    ),
  )
  return s
}
