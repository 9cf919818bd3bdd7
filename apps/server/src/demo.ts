import { buildThumbnails, importCxr14, importPredictions } from '@cxr-audit/ingest'
import {
  createAudit,
  findDataset,
  listAudits,
  listDatasets,
  listModels,
  openStore,
  storeKindOf,
  type Store,
} from '@cxr-audit/store'
import { existsSync } from 'node:fs'
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

export const DEMO_DATASET = 'ChestX-ray14 (demo)'
export const DEMO_AUDIT = 'Demo: pneumothorax, effusion, infiltration'
export const DEMO_MODEL = 'DenseNet-121 (CheXNet reproduction)'

export interface DemoPaths {
  /** examples/cxr14 */
  readonly examples: string
  /** The SQLite file, e.g. .cxr-audit/demo.sqlite (or a `postgres://` URL) */
  readonly db: string
  /** examples/predictions/*.csv.gz: a real model's scores, shown on the models page. */
  readonly predictions?: string | undefined
  /** The rendition cache: when given, thumbnails and pixel facts are made at import. */
  readonly cacheDir?: string | undefined
}

/** NIH's official split lists, shipped gzipped beside the metadata [DS20]. */
const TRAIN_LIST = 'splits/train_val_list.txt.gz'
const TEST_LIST = 'splits/test_list.txt.gz'

/** Sizes and times of the demo files: the import is skipped when they are unchanged. */
async function fingerprint(dir: string): Promise<string> {
  const parts: string[] = []
  for (const f of [
    'Data_Entry_2017_v2020.csv.gz',
    'BBox_List_2017.csv.gz',
    TRAIN_LIST,
    TEST_LIST,
  ]) {
    const s = await stat(join(dir, f)).catch(() => null)
    parts.push(`${f}:${s?.size ?? 0}:${s?.mtimeMs ?? 0}`)
  }
  const images = await readdir(join(dir, 'images')).catch(() => [] as string[])
  parts.push(images.sort().join(','))
  return parts.join('|')
}

/**
 * The demo database [W23]: the examples imported (again only when they changed; a re-import
 * keeps every verdict) and the demo audit drawn once with a fixed seed.
 */
export async function prepareDemo(
  paths: DemoPaths,
  log: (s: string) => void = () => undefined,
): Promise<{ store: Store; auditId: number }> {
  const metadata = join(paths.examples, 'Data_Entry_2017_v2020.csv.gz')
  if (!existsSync(metadata)) throw new Error(`the demo data is missing: ${metadata}`)
  // the import is skipped when the examples are unchanged since the last one, as a stamp beside
  // the SQLite file says; a database elsewhere imports again, which changes nothing (decision 003)
  const stampFile = storeKindOf(paths.db) === 'sqlite' ? `${paths.db}.import` : null
  if (stampFile !== null) await mkdir(join(paths.db, '..'), { recursive: true })
  const store = await openStore(paths.db)
  try {
    const now = await fingerprint(paths.examples)
    const before = stampFile === null ? '' : await readFile(stampFile, 'utf8').catch(() => '')
    const known = (await listDatasets(store.db)).find((d) => d.name === DEMO_DATASET)
    if (known === undefined || before !== now) {
      log('Importing the demo dataset (examples/cxr14)…')
      const bbox = join(paths.examples, 'BBox_List_2017.csv.gz')
      const [trainList, testList] = [TRAIN_LIST, TEST_LIST].map((f) => join(paths.examples, f))
      await importCxr14(store, {
        metadata,
        bbox: existsSync(bbox) ? bbox : undefined,
        // the official split, so the cohort table and `eval --split test` work on the demo
        trainList: existsSync(trainList!) ? trainList : undefined,
        testList: existsSync(testList!) ? testList : undefined,
        images: [join(paths.examples, 'images')],
        name: DEMO_DATASET,
      })
      if (paths.cacheDir !== undefined) {
        log('Making thumbnails and pixel checks of the demo images…')
        await buildThumbnails(store, await findDataset(store.db, DEMO_DATASET), {
          cacheDir: paths.cacheDir,
        })
      }
      if (stampFile !== null) await writeFile(stampFile, now)
    }
    const dataset = (await listDatasets(store.db)).find((d) => d.name === DEMO_DATASET)!
    const audits = await listAudits(store.db, dataset.id)
    let audit = audits.find((a) => a.name === DEMO_AUDIT)
    if (audit === undefined) {
      log('Drawing the demo audit…')
      audit = (
        await createAudit(store, {
          datasetId: dataset.id,
          name: DEMO_AUDIT,
          plan: {
            findings: ['Pneumothorax', 'Effusion', 'Infiltration'],
            positives: 18,
            negatives: 9,
            seed: 2017,
            filters: {},
            onePerPatient: true,
            blinded: false,
          },
        })
      ).audit
    }
    const models = await listModels(store.db, dataset.id)
    if (paths.predictions !== undefined && existsSync(paths.predictions)) {
      if (!models.some((m) => m.name === DEMO_MODEL)) {
        log('Importing the demo model predictions…')
        await importPredictions(store, {
          file: paths.predictions,
          model: DEMO_MODEL,
          dataset: DEMO_DATASET,
        })
      }
    }
    return { store, auditId: audit.id }
  } catch (e) {
    await store.close()
    throw e
  }
}
