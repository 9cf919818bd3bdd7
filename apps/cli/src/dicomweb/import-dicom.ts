import { importDicomFolder, type DicomFolderImportSummary } from '@cxr-audit/ingest'
import type { Context } from '../context.ts'
import { UsageError } from '../errors.ts'
import { table } from '../output.ts'

export interface ImportDicomOptions {
  images: string[]
  modality: string
  name?: string
}

/** `cxr-audit import dicom --images DIR` [DS21]. */
export async function importDicomCommand(
  ctx: Context,
  o: ImportDicomOptions,
): Promise<DicomFolderImportSummary> {
  const modalities = o.modality
    .split(',')
    .map((m) => m.trim().toUpperCase())
    .filter((m) => m !== '')
  if (modalities.length === 0) throw new UsageError('--modality needs at least one, e.g. CR,DX')
  const store = await ctx.store()
  const s = await importDicomFolder(store, {
    images: o.images,
    modalities,
    name: o.name,
    onProgress: (stage, done, total) => ctx.progress.update(stage, done, total),
  })
  ctx.progress.done()
  const lines = [
    `Imported "${s.dataset}" from ${s.folders.join(', ')}: ${s.images} images of ${s.studies} studies, ${s.series} series and ${s.patients} patients (${s.inserted} new, ${s.updated} changed) from ${s.files} files in ${s.seconds} s.`,
    `Views: ${Object.entries(s.views)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  ]
  if (s.skipped.length > 0) {
    lines.push(
      `${s.skipped.length} files not imported:`,
      table(
        ['file', 'reason'],
        s.skipped.slice(0, 10).map((k) => [k.file, k.reason]),
      ),
    )
    if (s.skipped.length > 10) lines.push(`... and ${s.skipped.length - 10} more (see --json)`)
  }
  if (s.privacy.identifiable > 0 || s.privacy.burnedIn > 0)
    lines.push(
      `Privacy: ${s.privacy.identifiable} images are not marked de-identified (Patient Identity Removed is not YES), ${s.privacy.burnedIn} have burned-in annotation.`,
    )
  lines.push(
    'Labels: cxr-audit import labels --file F --reader R (ids are SOP Instance UIDs). Next: cxr-audit thumbnails, then cxr-audit serve',
  )
  ctx.say(lines.join('\n'))
  return s
}
