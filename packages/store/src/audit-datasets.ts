import type { Db } from './store.ts'

export interface DatasetListing {
  readonly id: number
  readonly name: string
  readonly sourceFormat: string
  readonly importedAt: string
  readonly images: number
  readonly imagesOnDisk: number
  readonly imageRoots: string[]
}

/** Every dataset with its image counts, for the workbench's home and dataset pages. */
export async function listDatasets(db: Db): Promise<DatasetListing[]> {
  const rows = await db.selectFrom('dataset').selectAll().orderBy('id').execute()
  const counts = await db
    .selectFrom('image')
    .select([
      'dataset_id',
      (e) => e.fn.countAll<number>().as('n'),
      (e) => e.fn.sum<number>('on_disk').as('disk'),
    ])
    .groupBy('dataset_id')
    .execute()
  return rows.map((r) => {
    const c = counts.find((x) => x.dataset_id === r.id)
    return {
      id: r.id,
      name: r.name,
      sourceFormat: r.source_format,
      importedAt: r.imported_at,
      images: Number(c?.n ?? 0),
      imagesOnDisk: Number(c?.disk ?? 0),
      imageRoots: JSON.parse(r.image_roots) as string[],
    }
  })
}

/** The image ids of a dataset for the given names, in the order of the names. */
export async function imageIdsByName(
  db: Db,
  datasetId: number,
  names: readonly string[],
): Promise<{ id: number; name: string; onDisk: boolean }[]> {
  const out = new Map<string, { id: number; name: string; onDisk: boolean }>()
  for (let i = 0; i < names.length; i += 500) {
    const rows = await db
      .selectFrom('image')
      .select(['id', 'name', 'on_disk'])
      .where('dataset_id', '=', datasetId)
      .where('name', 'in', names.slice(i, i + 500))
      .execute()
    for (const r of rows) out.set(r.name, { id: r.id, name: r.name, onDisk: r.on_disk === 1 })
  }
  return names.flatMap((n) => {
    const r = out.get(n)
    return r === undefined ? [] : [r]
  })
}

/** The path and roots of an image, to serve its renditions from inside the roots only. */
export async function imageFile(
  db: Db,
  imageId: number,
): Promise<{ path: string | null; roots: string[]; datasetId: number; name: string } | undefined> {
  const r = await db
    .selectFrom('image')
    .innerJoin('dataset', 'dataset.id', 'image.dataset_id')
    .select(['image.path', 'image.name', 'image.dataset_id', 'dataset.image_roots'])
    .where('image.id', '=', imageId)
    .executeTakeFirst()
  if (r === undefined) return undefined
  return {
    path: r.path,
    roots: JSON.parse(r.image_roots) as string[],
    datasetId: r.dataset_id,
    name: r.name,
  }
}
