import { importChexpert, type ChexpertImportSummary } from '@cxr-audit/ingest'
import type { Context } from '../context.ts'
import { table } from '../output.ts'

export interface ImportChexpertOptions {
  file: string[]
  images?: string[]
  name?: string
  skipBadRows?: boolean
}

/** `cxr-audit import chexpert` [DS1]. */
export async function importChexpertCommand(
  ctx: Context,
  o: ImportChexpertOptions,
): Promise<ChexpertImportSummary> {
  const store = await ctx.store()
  const s = await importChexpert(store, {
    files: o.file,
    images: o.images,
    name: o.name,
    skipBadRows: o.skipBadRows,
    onProgress: (stage, done, total) => ctx.progress.update(stage, done, total),
  })
  ctx.progress.done()
  const items =
    s.itemKind === 'film' ? `${s.images} films of ${s.studies} studies` : `${s.studies} studies`
  ctx.say(
    [
      `Imported "${s.dataset}": ${items} of ${s.patients} patients, ${s.imagesOnDisk} on disk.`,
      Object.keys(s.splits).length > 0
        ? `Splits: ${Object.entries(s.splits)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')}`
        : 'No split in the paths.',
      '',
      table(
        ['observation', 'positive', 'uncertain', 'negative', 'not mentioned'],
        Object.keys(s.findings).map((f) => [
          f,
          s.findings[f]!,
          s.uncertain[f]!,
          s.negative[f]!,
          s.notMentioned[f]!,
        ]),
      ),
      '',
      s.problems.length === 0
        ? 'No problems found.'
        : table(
            ['problem', 'count', 'examples'],
            s.problems.map((p) => [p.kind, p.count, p.examples.slice(0, 3).join('; ')]),
          ),
      '',
      'Next: cxr-audit check',
    ].join('\n'),
  )
  return s
}
