import { importVindr, type VindrImportSummary } from '@cxr-audit/ingest'
import type { Context } from '../context.ts'
import { table } from '../output.ts'

export interface ImportVindrOptions {
  file: string
  images?: string[]
  name?: string
  readerPrefix?: string
  skipBadRows?: boolean
}

/** `cxr-audit import vindr` [DS10]. */
export async function importVindrCommand(
  ctx: Context,
  o: ImportVindrOptions,
): Promise<VindrImportSummary> {
  const store = await ctx.store()
  const s = await importVindr(store, {
    file: o.file,
    images: o.images,
    name: o.name,
    readerPrefix: o.readerPrefix,
    skipBadRows: o.skipBadRows,
  })
  ctx.say(
    [
      `Imported "${s.dataset}": ${s.images} films, ${s.readers.length} readers, ${s.reads} reads, ${s.boxes} boxes, ${s.imagesOnDisk} on disk.`,
      '',
      table(
        ['finding', 'majority', 'tie'],
        Object.keys(s.findings).map((f) => [f, s.findings[f]!, s.uncertain[f]!]),
      ),
      '',
      s.problems.length === 0
        ? 'No problems found.'
        : table(
            ['problem', 'count', 'examples'],
            s.problems.map((p) => [p.kind, p.count, p.examples.slice(0, 3).join('; ')]),
          ),
    ].join('\n'),
  )
  return s
}
