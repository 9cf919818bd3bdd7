import { importCxr14 } from '@cxr-audit/ingest'
import { findDataset, imageIdMap, openStore, type Store, type StoreKind } from '@cxr-audit/store'
import { copyFile, mkdir, readFile, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { sharedData } from '../../../../test-support/shared-data.ts'
import { tempDatabase } from '../../../../test-support/temp-store.ts'

/** A real CXR14 dataset in a temp folder: real metadata rows, real images, a corrupt file. */
export interface Fixture {
  /** The database: a SQLite file, or a `postgres://` URL. */
  readonly db: string
  readonly imagesDir: string
  /** Names of the real images on disk. */
  readonly names: string[]
  /** Names of images on disk whose bytes are not a decodable image. */
  readonly corrupt: string[]
}

export interface FixtureOptions {
  readonly dir: string
  /** How many of the shared images to copy (all 216 when not given). */
  readonly images?: number
  /** Use the shared image folder itself as the root instead of copying (the bench). */
  readonly inPlace?: boolean
  /** Add this many corrupt PNGs, named after metadata rows that have no image. */
  readonly corrupt?: number
  /** The database: a SQLite file in `dir` (the default), or a new PostgreSQL database. */
  readonly kind?: StoreKind
}

/**
 * Builds the fixture: the metadata rows of the chosen images (and of the corrupt ones), the
 * real bounding boxes, the images, then the import; returns the database.
 */
export async function buildFixture(o: FixtureOptions): Promise<Fixture> {
  const shared = sharedData('cxr14/images')
  const all = (await readdir(shared)).filter((f) => f.endsWith('.png')).sort()
  const names = o.images === undefined ? all : all.slice(0, o.images)
  const imagesDir = o.inPlace === true ? shared : join(o.dir, 'images')
  if (o.inPlace !== true) {
    await mkdir(imagesDir, { recursive: true })
    await Promise.all(names.map((n) => copyFile(join(shared, n), join(imagesDir, n))))
  }
  const csv = gunzipSync(await readFile(sharedData('cxr14/Data_Entry_2017_v2020.csv.gz'))).toString(
    'utf8',
  )
  const lines = csv.split('\n')
  const header = lines[0]!
  const wanted = new Set(names)
  const rows = lines.filter((l) => wanted.has(l.slice(0, l.indexOf(','))))
  // corrupt images: rows of images that are not in the shared folder, written as broken PNGs
  const corrupt: string[] = []
  if ((o.corrupt ?? 0) > 0 && o.inPlace !== true) {
    const onDisk = new Set(all)
    const png = await readFile(join(shared, names[0]!))
    for (const l of lines.slice(1)) {
      const name = l.slice(0, l.indexOf(','))
      if (name === '' || onDisk.has(name) || !l.includes('Pneumothorax')) continue
      // a PNG signature and a header, then nothing: "truncated"
      await writeFile(join(imagesDir, name), png.subarray(0, 64))
      rows.push(l)
      corrupt.push(name)
      if (corrupt.length === o.corrupt) break
    }
  }
  const metadata = join(o.dir, 'Data_Entry_2017_v2020.csv')
  await writeFile(metadata, [header, ...rows, ''].join('\n'))
  const db = await tempDatabase(o.kind ?? 'sqlite', o.dir, 'fixture.sqlite')
  const store = await openStore(db)
  try {
    await importCxr14(store, {
      metadata,
      bbox: sharedData('cxr14/BBox_List_2017.csv.gz'),
      images: [imagesDir],
      name: 'CXR14 fixture',
    })
  } finally {
    await store.close()
  }
  return { db, imagesDir, names, corrupt }
}

/** The id of an image by name. */
export async function imageId(store: Store, name: string): Promise<number> {
  const dataset = await findDataset(store.db)
  const id = (await imageIdMap(store.db, dataset.id, [name])).get(name)
  if (id === undefined) throw new Error(`no image ${name} in the fixture`)
  return id
}
