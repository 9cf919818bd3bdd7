import type { ChildProcess } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openJobQueue, THUMBNAILS_QUEUE, type ThumbnailBatchOutput } from '@cxr-audit/jobs'
import { findDataset, imagesOnDisk, openStore } from '@cxr-audit/store'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SHARED_DATA } from '../../../../test-support/shared-data.ts'
import { tempDatabase } from '../../../../test-support/temp-store.ts'
import { runCli } from '../run-cli.ts'
import { startWorker } from './worker-process.ts'

const HEADER =
  'Image Index,Finding Labels,Follow-up #,Patient ID,Patient Age,Patient Gender,View Position,OriginalImage[Width,Height],OriginalImagePixelSpacing[x,y]'
const IMAGES = 48
const BATCH = 8

describe('[T4][T6][T7] thumbnails --queue with two workers, one killed mid-batch (postgres)', () => {
  let dir: string
  let db: string
  const workers: ChildProcess[] = []
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cxr-jobs-'))
    db = await tempDatabase('postgres', dir)
    const images = join(dir, 'images')
    mkdirSync(images)
    const names = readdirSync(join(SHARED_DATA, 'cxr14/images'))
      .filter((n) => n.endsWith('.png'))
      .sort()
      .slice(0, IMAGES)
    expect(names).toHaveLength(IMAGES)
    for (const n of names) copyFileSync(join(SHARED_DATA, 'cxr14/images', n), join(images, n))
    const rows = names.map((n, i) => `${n},No Finding,0,${i + 1},40,M,PA,1024,1024,0.14,0.14`)
    writeFileSync(join(dir, 'meta.csv'), [HEADER, ...rows].join('\n') + '\n')
    const r = runCli([
      'import',
      'cxr14',
      '--metadata',
      join(dir, 'meta.csv'),
      '--images',
      images,
      '--db',
      db,
    ])
    expect(r.code, r.stderr).toBe(0)
  })
  afterAll(() => {
    for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
  })

  it('refuses --queue and worker on SQLite (exit 2), and a bad --batch', () => {
    const sqlite = join(dir, 'local.sqlite')
    const q = runCli(['thumbnails', '--queue', '--db', sqlite], { cwd: dir })
    expect(q.code).toBe(2)
    expect(q.stderr).toContain('--queue needs a PostgreSQL database')
    const w = runCli(['worker', '--db', sqlite], { cwd: dir })
    expect(w.code).toBe(2)
    expect(w.stderr).toContain('postgres://')
    const b = runCli(['thumbnails', '--queue', '--batch', '0', '--db', db], { cwd: dir })
    expect(b.code).toBe(2)
    expect(b.stderr).toContain('--batch must be a whole number')
  })

  it("every image is finished once: the killed worker's batch is retried, its finished images skipped", async () => {
    const queued = runCli(
      ['thumbnails', '--queue', '--batch', String(BATCH), '--timeout', '3', '--db', db, '--json'],
      { cwd: dir },
    )
    expect(queued.code, queued.stderr).toBe(0)
    expect(queued.json()).toMatchObject({
      queue: THUMBNAILS_QUEUE,
      images: IMAGES,
      alreadyFinished: 0,
      queuedImages: IMAGES,
      batches: IMAGES / BATCH,
      alreadyQueued: 0,
    })
    // queued again while waiting: the same batches are not added twice [T5]
    const twice = runCli(
      ['thumbnails', '--queue', '--batch', String(BATCH), '--db', db, '--json'],
      {
        cwd: dir,
      },
    )
    expect(twice.json()).toMatchObject({ batches: 0, alreadyQueued: IMAGES / BATCH })

    const a = startWorker(db, dir)
    const b = startWorker(db, dir, ['--exit-when-done', '--json'])
    workers.push(a.child, b.child)
    // A is half-way through a batch: its first step's facts are committed, the rest not yet
    const [, killedBatch] = await a.line(
      new RegExp(`batch (\\w{8}) \\(ChestX-ray14, attempt 1\\): 4 of ${BATCH} images`),
    )
    a.child.kill('SIGKILL')
    const killed = await a.exit
    expect(killed.signal).toBe('SIGKILL')
    const store = await openStore(db)
    try {
      const dataset = await findDataset(store.db)
      const atKill = new Map(
        (await imagesOnDisk(store.db, dataset.id)).map((im) => [im.id, im.factsAt]),
      )
      const finishedAtKill = [...atKill].filter(([, at]) => at !== null)
      expect(finishedAtKill.length).toBeGreaterThanOrEqual(4)

      const done = await b.exit
      expect(done.code, b.stderr()).toBe(0)
      expect(b.stderr()).toMatch(new RegExp(`batch ${killedBatch} \\(ChestX-ray14, attempt 2\\)`))

      const after = await imagesOnDisk(store.db, dataset.id)
      expect(after.filter((im) => im.factsAt === null)).toEqual([])
      // a finished image is never redone: its facts were not written again
      for (const [id, at] of finishedAtKill)
        expect(after.find((im) => im.id === id)!.factsAt).toBe(at)

      const queue = await openJobQueue(db, { supervise: false })
      try {
        const batches = await queue.batches(THUMBNAILS_QUEUE)
        expect(batches).toHaveLength(IMAGES / BATCH)
        expect(batches.every((x) => x.state === 'completed')).toBe(true)
        const retried = batches.filter((x) => x.retryCount > 0)
        expect(retried.map((x) => x.id.slice(0, 8))).toEqual([killedBatch])
        const outputs = batches.map((x) => x.output as ThumbnailBatchOutput)
        // the retried batch skipped what A had finished; no other batch found anything done
        const skipped = (retried[0]!.output as ThumbnailBatchOutput).alreadyFinished
        expect(skipped).toBeGreaterThanOrEqual(4)
        expect(skipped).toBeLessThan(BATCH)
        expect(outputs.reduce((s, x) => s + x.alreadyFinished, 0)).toBe(skipped)
        expect(outputs.reduce((s, x) => s + x.images, 0)).toBe(IMAGES)
        expect(outputs.reduce((s, x) => s + x.unreadable, 0)).toBe(0)
      } finally {
        await queue.close()
      }
    } finally {
      await store.close()
    }

    const status = runCli(['jobs', '--db', db, '--json'], { cwd: dir })
    expect(status.code, status.stderr).toBe(0)
    expect(status.json()).toMatchObject({
      queues: [
        { queue: THUMBNAILS_QUEUE, waiting: 0, running: 0, done: IMAGES / BATCH, failed: 0 },
      ],
      images: { images: IMAGES, finished: IMAGES, unreadable: 0 },
    })
    // nothing left to queue
    const again = runCli(['thumbnails', '--queue', '--db', db, '--json'], { cwd: dir })
    expect(again.json()).toMatchObject({ batches: 0, alreadyFinished: IMAGES, queuedImages: 0 })
  }, 120_000)
})
