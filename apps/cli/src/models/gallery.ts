import { parseGalleryCell, type GalleryCell } from '@cxr-audit/core'
import { createGalleries, type GalleryReport } from '@cxr-audit/store'
import type { Context } from '../context.ts'
import { UsageError } from '../errors.ts'
import { pct, table } from '../output.ts'
import { wholeNumber } from './numbers.ts'
import { modelOptions } from './options.ts'

export interface GalleryOptions {
  model: string
  finding: string
  cell?: string[]
  threshold: string
  seed: string
  size: string
  name?: string
  includeMissing?: boolean
  blinded?: boolean
  preview?: boolean
  dataset?: string
}

export async function galleryCommand(ctx: Context, o: GalleryOptions): Promise<GalleryReport> {
  let cells: GalleryCell[] | undefined
  try {
    cells = o.cell?.flatMap((c) => c.split(',')).map(parseGalleryCell)
  } catch (e) {
    throw new UsageError((e as Error).message)
  }
  const store = await ctx.store()
  const seed = wholeNumber('--seed', o.seed, 0, Number.MAX_SAFE_INTEGER)
  const size = wholeNumber('--size', o.size, 1, 10_000)
  const { threshold } = modelOptions({ threshold: o.threshold })
  const report = await createGalleries(store, {
    model: o.model,
    finding: o.finding,
    cells,
    threshold,
    seed,
    size,
    name: o.name,
    includeMissing: o.includeMissing === true,
    blinded: o.blinded === true,
    preview: o.preview === true,
    dataset: o.dataset,
  })
  const t = report.threshold
  ctx.say(
    [
      `${report.model}, ${report.finding}: threshold ${t.threshold.toPrecision(4)} (${t.rule}; sensitivity ${pct(t.sensitivity)}, specificity ${pct(t.specificity)}, PPV ${pct(t.ppv)}), seed ${report.seed}.`,
      '',
      table(
        ['cell', 'population', 'drawn', 'audit'],
        report.galleries.map((g) => [
          g.cellName,
          g.population,
          g.drawn,
          g.audit === null
            ? ''
            : `#${g.audit.id} "${g.audit.name}"${g.audit.created ? '' : ' (already there)'}`,
        ]),
      ),
      ...report.galleries.flatMap((g) => g.notes.map((n) => `Note: ${n}`)),
      ...(o.preview === true ? ['', 'Preview only: no audit was created.'] : []),
    ].join('\n'),
  )
  return report
}
