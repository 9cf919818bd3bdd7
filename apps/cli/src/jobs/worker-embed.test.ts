import type { ChildProcess } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { EMBEDDINGS_QUEUE, openJobQueue, type EmbeddingBatchOutput } from '@cxr-audit/jobs'
import { openStore } from '@cxr-audit/store'
import { tableRows } from '@cxr-audit/store/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SHARED_DATA } from '../../../../test-support/shared-data.ts'
import { tempDatabase } from '../../../../test-support/temp-store.ts'
import { runCli } from '../run-cli.ts'
import { startWorker } from './worker-process.ts'

const HEADER =
  'Image Index,Finding Labels,Follow-up #,Patient ID,Patient Age,Patient Gender,View Position,OriginalImage[Width,Height],OriginalImagePixelSpacing[x,y]'
const IMAGES = 32
const BATCH = 8
/** Images per inference call, committed together: a killed worker loses at most these. */
const STEP = 4

/** Every stored vector: image id -> when it was written. */
async function vectors(db: string): Promise<Map<number, string>> {
  const store = await openStore(db)
  try {
    const rows = await tableRows(store.db, 'embedding')
    return new Map(rows.map((r) => [Number(r.image_id), String(r.created_at)]))
  } finally {
    await store.close()
  }
}

describe('[T4b][T6][T7][ML5] embed --queue with two workers and the shipped model, one killed mid-batch (postgres)', () => {
  let dir: string
  let db: string
  const workers: ChildProcess[] = []
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cxr-jobs-embed-'))
    db = await tempDatabase('postgres', dir)
    const images = join(dir, 'images')
    mkdirSync(images)
    const names = readdirSync(join(SHARED_DATA, 'cxr14/images'))
      .filter((n) => n.endsWith('.png'))
      .sort()
      .slice(0, IMAGES - 1)
    expect(names).toHaveLength(IMAGES - 1)
    for (const n of names) copyFileSync(join(SHARED_DATA, 'cxr14/images', n), join(images, n))
    // a corrupt film in the last batch: listed as unreadable, never fatal to the batch
    writeFileSync(join(images, 'zz-broken.png'), 'not an image at all')
    const rows = [...names, 'zz-broken.png'].map(
      (n, i) => `${n},No Finding,0,${i + 1},40,M,PA,1024,1024,0.14,0.14`,
    )
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

  it('refuses --queue on SQLite, queue options without --queue, and a bad --batch (exit 2)', () => {
    const sqlite = join(dir, 'local.sqlite')
    const q = runCli(['embed', '--queue', '--db', sqlite], { cwd: dir })
    expect(q.code).toBe(2)
    expect(q.stderr).toContain('--queue needs a PostgreSQL database')
    const t = runCli(['embed', '--timeout', '5', '--db', db], { cwd: dir })
    expect(t.code).toBe(2)
    expect(t.stderr).toContain('--batch and --timeout go with --queue')
    const b = runCli(['embed', '--queue', '--batch', '0', '--db', db], { cwd: dir })
    expect(b.code).toBe(2)
    expect(b.stderr).toContain('--batch must be a whole number')
    const m = runCli(['embed', '--queue', '--model', join(dir, 'none.onnx'), '--db', db])
    expect(m.code).toBe(2)
    const w = runCli(['worker', '--queues', 'embeddings,nope', '--db', db], { cwd: dir })
    expect(w.code).toBe(2)
    expect(w.stderr).toContain('no queue "nope"')
  })

  it("every image is embedded once: the killed worker's batch is retried, its finished images skipped", async () => {
    const args = ['embed', '--queue', '--batch', String(BATCH), '--batch-size', String(STEP)]
    const queued = runCli([...args, '--timeout', '8', '--db', db, '--json'], { cwd: dir })
    expect(queued.code, queued.stderr).toBe(0)
    const report = queued.json() as { modelSha256: string }
    expect(report).toMatchObject({
      queue: EMBEDDINGS_QUEUE,
      model: 'mobilenetv2-12-int8',
      images: IMAGES,
      alreadyFinished: 0,
      queuedImages: IMAGES,
      batchSize: BATCH,
      batches: IMAGES / BATCH,
      alreadyQueued: 0,
    })
    expect(report.modelSha256).toMatch(/^[0-9a-f]{64}$/)
    // queued again while waiting: the same batches are not added twice [T5]
    const twice = runCli([...args, '--timeout', '8', '--db', db, '--json'], { cwd: dir })
    expect(twice.json()).toMatchObject({ batches: 0, alreadyQueued: IMAGES / BATCH })

    const a = startWorker(db, dir, ['--queues', EMBEDDINGS_QUEUE])
    const b = startWorker(db, dir, ['--exit-when-done', '--json'])
    workers.push(a.child, b.child)
    // A has committed its first inference batch of the batch, not the rest
    const [, killedBatch] = await a.line(
      new RegExp(`batch (\\w{8}) \\(ChestX-ray14, attempt 1\\): ${STEP} of ${BATCH} images`),
    )
    a.child.kill('SIGKILL')
    expect((await a.exit).signal).toBe('SIGKILL')
    const atKill = await vectors(db)
    expect(atKill.size).toBeGreaterThanOrEqual(STEP)

    const done = await b.exit
    expect(done.code, b.stderr()).toBe(0)
    expect(b.stderr()).toMatch(new RegExp(`batch ${killedBatch} \\(ChestX-ray14, attempt 2\\)`))
    expect(JSON.parse(done.stdout)).toMatchObject({ embedded: expect.any(Number) })

    const after = await vectors(db)
    // every readable film has its vector; the corrupt one has none
    expect(after.size).toBe(IMAGES - 1)
    // a finished image is never redone: its vector was not written again
    for (const [id, at] of atKill) expect(after.get(id)).toBe(at)

    const queue = await openJobQueue(db, { supervise: false })
    try {
      const batches = await queue.batches(EMBEDDINGS_QUEUE)
      expect(batches).toHaveLength(IMAGES / BATCH)
      expect(batches.every((x) => x.state === 'completed')).toBe(true)
      const retried = batches.filter((x) => x.retryCount > 0)
      expect(retried.map((x) => x.id.slice(0, 8))).toEqual([killedBatch])
      const outputs = batches.map((x) => x.output as EmbeddingBatchOutput)
      const skipped = (retried[0]!.output as EmbeddingBatchOutput).alreadyFinished
      expect(skipped).toBeGreaterThanOrEqual(STEP)
      expect(skipped).toBeLessThan(BATCH)
      expect(outputs.reduce((s, x) => s + x.alreadyFinished, 0)).toBe(skipped)
      expect(outputs.reduce((s, x) => s + x.images, 0)).toBe(IMAGES)
      expect(outputs.reduce((s, x) => s + x.unreadable, 0)).toBe(1)
      // computed once each, except the few A had decoded but not committed when killed
      expect(outputs.reduce((s, x) => s + x.computed, 0)).toBe(IMAGES - 1 - skipped)
    } finally {
      await queue.close()
    }

    const status = runCli(['jobs', '--db', db, '--json'], { cwd: dir })
    expect(status.code, status.stderr).toBe(0)
    const jobs = status.json() as { queues: { queue: string }[] }
    expect(jobs).toMatchObject({
      embeddings: [
        { model: 'mobilenetv2-12-int8', modelSha256: report.modelSha256, embedded: IMAGES - 1 },
      ],
    })
    expect(jobs.queues.find((q) => q.queue === EMBEDDINGS_QUEUE)).toEqual({
      queue: EMBEDDINGS_QUEUE,
      waiting: 0,
      running: 0,
      done: IMAGES / BATCH,
      failed: 0,
    })
    // only the corrupt film is left to queue
    const again = runCli([...args, '--db', db, '--json'], { cwd: dir })
    expect(again.json()).toMatchObject({
      batches: 1,
      alreadyFinished: IMAGES - 1,
      queuedImages: 1,
    })
  }, 240_000)
})
