import { spawn } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { openStore } from '@cxr-audit/store'
import { countRows } from '@cxr-audit/store/testing'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sharedData } from '../../../../test-support/shared-data.ts'
import { DIALECTS, tempDatabase } from '../../../../test-support/temp-store.ts'
import { runCli } from '../run-cli.ts'

const HEADER =
  'Image Index,Finding Labels,Follow-up #,Patient ID,Patient Age,Patient Gender,View Position,OriginalImage[Width,Height],OriginalImagePixelSpacing[x,y]'
const BIN = fileURLToPath(new URL('../../bin/cxr-audit.js', import.meta.url))
const N = 24

describe.each(DIALECTS)('cxr-audit embed (%s)', (kind) => {
  let dir: string
  let db: string
  let names: string[]
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cxr-embed-'))
    db = await tempDatabase(kind, dir, 'db.sqlite')
    const images = join(dir, 'images_001', 'images')
    mkdirSync(images, { recursive: true })
    const source = dirname(sharedData('cxr14/images/00000846_000.png'))
    names = readdirSync(source)
      .filter((f) => f.endsWith('.png'))
      .sort()
      .slice(0, N)
    for (const n of names) copyFileSync(join(source, n), join(images, n))
    // the first film again, re-compressed: other bytes, the same pixels, another patient
    await sharp(join(source, names[0]!))
      .png({ compressionLevel: 9 })
      .toFile(join(images, 'resaved.png'))
    writeFileSync(join(images, 'broken.png'), 'not an image at all')
    const rows = [...names, 'resaved.png', 'broken.png'].map(
      (n, i) => `${n},No Finding,0,${i + 1},40,M,PA,1024,1024,0.14,0.14`,
    )
    writeFileSync(join(dir, 'meta.csv'), [HEADER, ...rows].join('\n') + '\n')
    writeFileSync(join(dir, 'train.txt'), [...names, 'broken.png'].join('\n'))
    writeFileSync(join(dir, 'test.txt'), 'resaved.png')
    const r = runCli([
      'import',
      'cxr14',
      '--metadata',
      join(dir, 'meta.csv'),
      '--images',
      join(dir, 'images_001'),
      '--train-list',
      join(dir, 'train.txt'),
      '--test-list',
      join(dir, 'test.txt'),
      '--db',
      db,
      '--json',
    ])
    expect(r.code, r.stderr).toBe(0)
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('[ML6] resumes after being killed: the committed batches are cached, the rest computed', async () => {
    const child = spawn(
      process.execPath,
      [BIN, 'embed', '--db', db, '--batch-size', '2', '--jobs', '1'],
      {
        stdio: 'ignore',
      },
    )
    const exited = new Promise((resolve) => child.on('exit', resolve))
    // the database exists (the import made it): watching it from here changes nothing
    const watcher = await openStore(db)
    let committed = 0
    try {
      for (let tries = 0; tries < 3000 && committed < 4; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 10))
        committed = await countRows(watcher.db, 'embedding')
      }
      child.kill('SIGKILL')
      await exited
    } finally {
      await watcher.close()
    }
    const reader = await openStore(db)
    const kept = await countRows(reader.db, 'embedding')
    await reader.close()
    expect(kept).toBeGreaterThanOrEqual(4)
    expect(kept).toBeLessThan(N + 1) // really interrupted half-way
    const r = runCli(['embed', '--db', db, '--json'])
    expect(r.code, r.stderr).toBe(0)
    const out = r.json() as Record<string, unknown>
    expect(Object.keys(out)).toEqual(
      expect.arrayContaining(['model', 'images', 'computed', 'cached', 'unreadable', 'dimensions']),
    )
    expect(out).toMatchObject({
      model: 'mobilenetv2-12-int8',
      images: N + 2,
      cached: kept,
      computed: N + 1 - kept,
      dimensions: 1280,
    })
    expect(out['unreadable']).toEqual([
      { image: 'broken.png', reason: expect.stringMatching(/^not-an-image/) as unknown },
    ])
    const again = runCli(['embed', '--db', db, '--json']).json()
    expect(again).toMatchObject({ computed: 0, cached: N + 1 })
  })

  it('[ML8] check lists near-duplicates by embedding across splits, beside the hash pairs', () => {
    const r = runCli(['check', '--db', db, '--json'])
    expect(r.code, r.stderr).toBe(0)
    const out = r.json() as {
      problems: { kind: string; count: number; examples: string[] }[]
      duplicates: {
        near: unknown[]
        embedding: {
          model: string
          threshold: number
          images: number
          pairs: number
          acrossSplits: number
          withinPatient: number
          list: { a: string; b: string; cosine: number; samePatient: boolean; splits: string[] }[]
        }
      }
    }
    const e = out.duplicates.embedding
    expect(e).toMatchObject({
      model: 'mobilenetv2-12-int8',
      threshold: 0.8,
      images: N + 1,
      withinPatient: 0,
    })
    expect(e.list[0]).toEqual({
      a: names[0],
      b: 'resaved.png',
      cosine: 1,
      samePatient: false,
      splits: ['train', 'test'],
    })
    expect(e.acrossSplits).toBeGreaterThanOrEqual(1)
    const kinds = Object.fromEntries(out.problems.map((p) => [p.kind, p]))
    expect(kinds['embedding-near-duplicate-across-splits']?.examples[0]).toBe(
      `${names[0]} ~ resaved.png (cosine 1.000, train/test)`,
    )
    const text = runCli(['check', '--db', db, '--cosine-threshold', '0.999'])
    expect(text.stdout).toContain(
      'Near-duplicates by embedding (mobilenetv2-12-int8, 25 images, centred cosine >= 0.999): 1 pairs',
    )
  })

  it('refuses bad options with exit code 2 and a clear message', () => {
    const jobs = runCli(['embed', '--db', db, '--jobs', 'many'])
    expect(jobs.code).toBe(2)
    expect(jobs.stderr).toContain('--jobs must be a whole number')
    const model = runCli(['embed', '--db', db, '--model', join(dir, 'none.onnx'), '--json'])
    expect(model.code).toBe(2)
    expect((model.json() as { error: { message: string } }).error.message).toContain(
      'no such model file',
    )
    const cosine = runCli(['check', '--db', db, '--cosine-threshold', '2'])
    expect(cosine.code).toBe(2)
    expect(cosine.stderr).toContain('--cosine-threshold must be a number above 0 and at most 1')
  })

  it('[ML9] --device cuda without the CUDA provider is a clear error and changes nothing', () => {
    const r = runCli(['embed', '--db', db, '--device', 'cuda', '--json'])
    // this machine has no GPU (CI neither); on one with CUDA installed the run would succeed
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(
      "--device cuda: onnxruntime's CUDA execution provider is not available",
    )
    expect(r.stderr).not.toContain('provider_bridge_ort')
    expect(runCli(['embed', '--db', db, '--json']).json()).toMatchObject({
      computed: 0,
      cached: N + 1,
    })
  })
})
