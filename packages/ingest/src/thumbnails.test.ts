import { gunzipSync } from 'node:zlib'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findDataset, imageWorkProgress } from '@cxr-audit/store'
import { sharedData } from '../../../test-support/shared-data.ts'
import { importCxr14 } from './cxr14-import.ts'
import { buildThumbnails } from './thumbnails.ts'
import { DIALECTS, tempStore } from './test-helpers.ts'

const IMAGES = sharedData('cxr14/images')
const FILMS = 90

describe.each(DIALECTS)('thumbnails: pixel facts stored as films finish (%s)', (kind) => {
  let t: Awaited<ReturnType<typeof tempStore>>
  let dir: string
  beforeAll(async () => {
    t = await tempStore(kind)
    dir = mkdtempSync(join(tmpdir(), 'cxr-thumbs-facts-'))
    const names = new Set(
      readdirSync(IMAGES)
        .filter((f) => f.endsWith('.png'))
        .sort()
        .slice(0, FILMS),
    )
    const lines = gunzipSync(readFileSync(sharedData('cxr14/Data_Entry_2017_v2020.csv.gz')))
      .toString('utf8')
      .split('\n')
    const kept = [lines[0]!, ...lines.slice(1).filter((l) => names.has(l.split(',')[0]!))]
    writeFileSync(join(dir, 'meta.csv'), `${kept.join('\n')}\n`)
    await importCxr14(t.store, { metadata: join(dir, 'meta.csv'), images: [IMAGES] })
  })
  afterAll(async () => {
    await t.cleanup()
    rmSync(dir, { recursive: true, force: true })
  })

  it('a run stopped by a failing cache keeps the facts of the films it finished; the next run does the rest', async () => {
    const ds = await findDataset(t.store.db)
    const cacheDir = join(dir, 'cache')
    let stoppedAt = 0
    const run = buildThumbnails(t.store, ds, {
      cacheDir,
      jobs: 2,
      onProgress: (_stage, done) => {
        if (done !== 70) return
        // the cache folder turns into a file: every later write fails, a system error
        stoppedAt = done
        rmSync(cacheDir, { recursive: true, force: true })
        writeFileSync(cacheDir, 'not a folder')
      },
    })
    await expect(run).rejects.toMatchObject({ code: expect.stringMatching(/^E[A-Z]+$/) })
    expect(stoppedAt).toBe(70)
    const kept = await imageWorkProgress(t.store.db, ds.id)
    expect(kept.images).toBe(FILMS)
    expect(kept.finished).toBeGreaterThanOrEqual(70)
    expect(kept.finished).toBeLessThan(FILMS)

    rmSync(cacheDir, { force: true })
    const rest = await buildThumbnails(t.store, ds, { cacheDir, jobs: 2 })
    expect(rest.unreadable).toEqual([])
    expect(rest.facts).toEqual({ computed: FILMS - kept.finished, unchanged: kept.finished })
    expect(await imageWorkProgress(t.store.db, ds.id)).toMatchObject({
      images: FILMS,
      finished: FILMS,
    })
  }, 120_000)
})
