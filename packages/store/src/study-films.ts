import type { Db, Tx } from './store.ts'

/** One film of a study item, as written by an import and shown on the sheet [DS26]. */
export interface StudyFilm {
  /** `patient64741/study1/view1_frontal.jpg` */
  readonly name: string
  /** `frontal`, `lateral`, or '' when the name does not say. */
  readonly view: string
  readonly path: string
}

/**
 * Replaces the films of a dataset's study items (item id -> films, frontal first), in the
 * import's transaction; items not given keep none.
 */
export async function writeStudyFilms(
  tx: Tx,
  datasetId: number,
  films: ReadonlyMap<number, readonly StudyFilm[]>,
): Promise<void> {
  const rows = [...films].flatMap(([imageId, list]) =>
    list.map((f, position) => ({ image_id: imageId, position, ...f })),
  )
  const stored = await tx
    .selectFrom('study_film')
    .innerJoin('image', 'image.id', 'study_film.image_id')
    .select([
      'study_film.image_id',
      'study_film.position',
      'study_film.name',
      'study_film.view',
      'study_film.path',
    ])
    .where('image.dataset_id', '=', datasetId)
    .execute()
  // importing the same files again changes nothing (ids kept) [DS26]
  const key = (r: {
    image_id: number
    position: number
    name: string
    view: string
    path: string
  }) => JSON.stringify([r.image_id, r.position, r.name, r.view, r.path])
  const before = new Set(stored.map(key))
  if (before.size === rows.length && rows.every((r) => before.has(key(r)))) return
  await tx
    .deleteFrom('study_film')
    .where('image_id', 'in', (q) =>
      q.selectFrom('image').select('id').where('dataset_id', '=', datasetId),
    )
    .execute()
  for (let i = 0; i < rows.length; i += 500)
    await tx
      .insertInto('study_film')
      .values(rows.slice(i, i + 500))
      .execute()
}

/** The films of study items among these images, in order (frontal first) [DS26]. */
export async function studyFilmsOf(
  db: Db,
  imageIds: readonly number[],
): Promise<Map<number, { name: string; view: string }[]>> {
  const out = new Map<number, { name: string; view: string }[]>()
  if (imageIds.length === 0) return out
  const rows = await db
    .selectFrom('study_film')
    .select(['image_id', 'name', 'view'])
    .where('image_id', 'in', [...imageIds])
    .orderBy('image_id')
    .orderBy('position')
    .execute()
  for (const r of rows) {
    const list = out.get(r.image_id) ?? []
    list.push({ name: r.name, view: r.view })
    out.set(r.image_id, list)
  }
  return out
}

/** Where film `position` of a study item is, with its dataset's roots; undefined when none. */
export async function studyFilmFile(
  db: Db,
  imageId: number,
  position: number,
): Promise<{ path: string; roots: string[]; datasetId: number } | undefined> {
  const r = await db
    .selectFrom('study_film')
    .innerJoin('image', 'image.id', 'study_film.image_id')
    .innerJoin('dataset', 'dataset.id', 'image.dataset_id')
    .select(['study_film.path', 'image.dataset_id', 'dataset.image_roots'])
    .where('study_film.image_id', '=', imageId)
    .where('study_film.position', '=', position)
    .executeTakeFirst()
  if (r === undefined) return undefined
  return {
    path: r.path,
    roots: JSON.parse(r.image_roots) as string[],
    datasetId: r.dataset_id,
  }
}
