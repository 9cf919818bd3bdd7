import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { basename } from 'node:path'
import type { Verdict } from '@cxr-audit/core'
import { now, writeLabelImportIn, type Store, type Tx } from '@cxr-audit/store'
import type { WrittenItems } from './labelled-items.ts'

// The label sources a dataset's own files hold besides its original labels (PadChest's
// physicians and RNN, VinDr-CXR's radiologists): imported readers, written in the dataset
// import's transaction, with event ids that make a re-import of the same files add nothing.

/** One reader's verdict on one record (by its position in the import's records). */
export interface SourceRead {
  readonly reader: string
  readonly record: number
  readonly finding: string
  readonly verdict: Verdict
}

/** SHA-256 of the files together: the version of the reads, in every event id. */
export async function filesSha256(files: readonly string[]): Promise<string> {
  const hash = createHash('sha256')
  for (const f of files) for await (const chunk of createReadStream(f)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/** Writes the reads as imported readers' verdicts; returns how many were new. */
export async function writeSourceReaders(
  store: Store,
  tx: Tx,
  written: WrittenItems,
  o: {
    readonly reads: readonly SourceRead[]
    readonly names: readonly string[]
    readonly files: readonly string[]
    readonly sha256: string
  },
): Promise<number> {
  const readers = [...new Set(o.reads.map((r) => r.reader))].sort()
  if (readers.length === 0) return 0
  const importedAt = now()
  const images = new Map<string, Set<number>>()
  const counts = new Map<string, number>()
  for (const r of o.reads) {
    let s = images.get(r.reader)
    if (s === undefined) images.set(r.reader, (s = new Set()))
    s.add(r.record)
    counts.set(r.reader, (counts.get(r.reader) ?? 0) + 1)
  }
  return writeLabelImportIn(store, tx, {
    readers,
    append: false,
    verdicts: o.reads.map((r) => ({
      reader: r.reader,
      clientEventId: `import:${r.reader}:${o.names[r.record]!}:${r.finding}:${o.sha256}`,
      auditId: null,
      imageId: written.imageIds[r.record]!,
      findingId: written.findingIds.get(r.finding)!,
      verdict: r.verdict,
      createdAt: importedAt,
    })),
    tags: [],
    records: readers.map((reader) => ({
      reader,
      datasetId: written.datasetId,
      file: o.files.map((f) => basename(f)).join(', '),
      sha256: o.sha256,
      format: 'wide' as const,
      mapped: {},
      ignored: [],
      unmatched: [],
      images: images.get(reader)!.size,
      verdicts: counts.get(reader)!,
      unknownImages: 0,
      importedAt,
    })),
  })
}
