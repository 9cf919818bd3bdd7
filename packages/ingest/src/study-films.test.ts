import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findDataset, imageIdMap, studyFilmFile, studyFilmsOf } from '@cxr-audit/store'
import { sharedData } from '../../../test-support/shared-data.ts'
import { importChexpert } from './chexpert-import.ts'
import { filmsByStudy, filmView } from './study-films.ts'
import { DIALECTS, snapshot, tempStore } from './test-helpers.ts'

const FILMS = [
  'patient64547/study1/view3_lateral.jpg',
  'patient64547/study1/view2_frontal.jpg',
  'patient64547/study1/view1_frontal.jpg',
  'patient64541/study1/view1_frontal.jpg',
]

describe('[DS26] the films of a study, frontal first', () => {
  it('orders frontal films before laterals, then by name; reads the view from the name', () => {
    const files = new Map(FILMS.map((n) => [n, `/x/${n}`]))
    const films = filmsByStudy(files)
    expect(films.get('patient64547/study1')!.map((f) => f.name)).toEqual([
      'patient64547/study1/view1_frontal.jpg',
      'patient64547/study1/view2_frontal.jpg',
      'patient64547/study1/view3_lateral.jpg',
    ])
    expect(films.get('patient64541/study1')).toHaveLength(1)
    expect(filmView('view1_frontal.jpg')).toBe('frontal')
    expect(filmView('image.png')).toBe('')
  })
})

describe.each(DIALECTS)('[DS26] a study-keyed dataset with its films (%s)', (kind) => {
  let t: Awaited<ReturnType<typeof tempStore>>
  let dir: string
  let file: string
  beforeAll(async () => {
    t = await tempStore(kind)
    dir = mkdtempSync(join(tmpdir(), 'cxr-study-films-'))
    const png = join(sharedData('cxr14/images'), readdirSync(sharedData('cxr14/images')).sort()[0]!)
    for (const n of FILMS) {
      const path = join(dir, 'images', 'test', n)
      mkdirSync(dirname(path), { recursive: true })
      await sharp(png).resize(64, 64).jpeg().toFile(path)
    }
    file = join(dir, 'test.csv')
    writeFileSync(
      file,
      'Study,Cardiomegaly,Edema\n' +
        'CheXpert-v1.0/test/patient64547/study1,1,0\n' +
        'CheXpert-v1.0/test/patient64541/study1,0,1\n' +
        'CheXpert-v1.0/test/patient64999/study2,0,0\n',
    )
  })
  afterAll(async () => {
    await t.cleanup()
    rmSync(dir, { recursive: true, force: true })
  })

  it('keeps each study on disk with its films; importing again changes nothing', async () => {
    const s = await importChexpert(t.store, {
      files: [file],
      images: [join(dir, 'images')],
      name: 'test studies',
    })
    expect(s).toMatchObject({ itemKind: 'study', studies: 3, imagesOnDisk: 2 })
    const ds = await findDataset(t.store.db, 'test studies')
    const ids = await imageIdMap(t.store.db, ds.id)
    const study = ids.get('patient64547/study1')!
    const films = await studyFilmsOf(t.store.db, [...ids.values()])
    expect(films.get(study)).toEqual([
      { name: 'patient64547/study1/view1_frontal.jpg', view: 'frontal' },
      { name: 'patient64547/study1/view2_frontal.jpg', view: 'frontal' },
      { name: 'patient64547/study1/view3_lateral.jpg', view: 'lateral' },
    ])
    expect(films.has(ids.get('patient64999/study2')!)).toBe(false)
    expect((await studyFilmFile(t.store.db, study, 2))?.path).toBe(
      join(dir, 'images', 'test', 'patient64547/study1/view3_lateral.jpg'),
    )
    expect(await studyFilmFile(t.store.db, study, 3)).toBeUndefined()
    const before = await snapshot(t.store)
    await importChexpert(t.store, {
      files: [file],
      images: [join(dir, 'images')],
      name: 'test studies',
    })
    expect(await snapshot(t.store)).toEqual(before)
  })
})
