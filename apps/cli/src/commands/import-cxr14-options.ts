import type { Cxr14StreamOptions } from '@cxr-audit/ingest'

/** `import cxr14`'s options, as commander gives them. */
export interface ImportCxr14Options {
  metadata: string
  bbox?: string
  images?: string[]
  trainList?: string
  testList?: string
  name?: string
  skipBadRows?: boolean
}

/**
 * What the reading thread needs: plain data only (it crosses to a worker thread). Ingest's
 * streamOptions does the same, but importing it here would load the import's code at start.
 */
export function cxr14StreamOptions(o: ImportCxr14Options): Cxr14StreamOptions {
  return {
    metadata: o.metadata,
    bbox: o.bbox,
    images: o.images,
    trainList: o.trainList,
    testList: o.testList,
    name: o.name,
    skipBadRows: o.skipBadRows,
  }
}
