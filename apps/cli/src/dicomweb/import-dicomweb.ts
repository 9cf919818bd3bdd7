import { importDicomweb, type DicomwebImportSummary } from '@cxr-audit/ingest'
import type { Context } from '../context.ts'
import { UsageError } from '../errors.ts'

export interface ImportDicomwebOptions {
  url: string
  study?: string[]
  since?: string
  modality: string
  name?: string
}

/** `cxr-audit import dicomweb` [D1]. */
export async function importDicomwebCommand(
  ctx: Context,
  o: ImportDicomwebOptions,
): Promise<DicomwebImportSummary> {
  const modalities = o.modality
    .split(',')
    .map((m) => m.trim().toUpperCase())
    .filter((m) => m !== '')
  if (modalities.length === 0) throw new UsageError('--modality needs at least one, e.g. CR,DX')
  const store = await ctx.store()
  const s = await importDicomweb(store, {
    url: o.url,
    studies: o.study,
    since: o.since,
    modalities,
    name: o.name,
    onProgress: (stage, done, total) => ctx.progress.update(stage, done, total),
  })
  ctx.progress.done()
  const lines = [
    `Imported "${s.dataset}" from ${s.url}: ${s.images} images of ${s.studies} studies and ${s.patients} patients (${s.inserted} new, ${s.updated} changed) in ${s.seconds} s.`,
  ]
  if (s.skipped.length > 0) {
    lines.push(`${s.skipped.length} instances not imported:`)
    for (const k of s.skipped.slice(0, 10)) lines.push(`  ${k.uid}: ${k.reason}`)
    if (s.skipped.length > 10) lines.push(`  ... and ${s.skipped.length - 10} more (see --json)`)
  }
  if (s.privacy.identifiable > 0 || s.privacy.burnedIn > 0)
    lines.push(
      `Privacy: ${s.privacy.identifiable} images are not marked de-identified (Patient Identity Removed is not YES), ${s.privacy.burnedIn} have burned-in annotation.`,
    )
  lines.push('Next: cxr-audit thumbnails (fetches and caches every film), then cxr-audit serve')
  ctx.say(lines.join('\n'))
  return s
}
