import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sharedData } from '../../../../test-support/shared-data.ts'
import { DIALECTS, tempDatabase } from '../../../../test-support/temp-store.ts'
import { runCli } from '../run-cli.ts'

const HEADER =
  'Image Index,Finding Labels,Follow-up #,Patient ID,Patient Age,Patient Gender,View Position,OriginalImage[Width,Height],OriginalImagePixelSpacing[x,y]'

describe.each(DIALECTS)('cxr-audit thumbnails (%s)', (kind) => {
  let dir: string
  let db: string
  // in the temp folder: on PostgreSQL the rendition cache is in the working folder
  const cli = (args: string[]) => runCli(args, { cwd: dir })
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cxr-thumbs-'))
    db = await tempDatabase(kind, dir, 'db.sqlite')
    const images = join(dir, 'images_001', 'images')
    mkdirSync(images, { recursive: true })
    const real = sharedData('cxr14/images/00000846_000.png')
    copyFileSync(real, join(images, 'a.png'))
    copyFileSync(real, join(images, 'b.png')) // the same bytes under another name
    copyFileSync(sharedData('cxr14/images/00010027_000.png'), join(images, 'c.png'))
    await sharp(real).negate({ alpha: false }).toFile(join(images, 'inverted.png'))
    const bytes = readFileSync(real)
    writeFileSync(join(images, 'truncated.png'), bytes.subarray(0, bytes.length / 3))
    const rows = ['a', 'b', 'c', 'inverted', 'truncated'].map(
      (n, i) => `${n}.png,No Finding,0,${i + 1},40,M,PA,1024,1024,0.14,0.14`,
    )
    writeFileSync(join(dir, 'meta.csv'), [HEADER, ...rows].join('\n') + '\n')
    const r = cli([
      'import',
      'cxr14',
      '--metadata',
      join(dir, 'meta.csv'),
      '--images',
      join(dir, 'images_001'),
      '--db',
      db,
      '--json',
    ])
    expect(r.code, r.stderr).toBe(0)
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('[K6] makes every thumbnail, lists unreadable images without failing, then serves from cache', () => {
    const first = cli(['thumbnails', '--db', db, '--json', '--jobs', '2'])
    expect(first.code, first.stderr).toBe(0)
    const out = first.json() as {
      images: number
      made: number
      cached: number
      unreadable: { image: string; reason: string }[]
      facts: { computed: number }
    }
    expect(out).toMatchObject({ images: 5, made: 4, cached: 0, facts: { computed: 4 } })
    expect(out.unreadable).toHaveLength(1)
    expect(out.unreadable[0]!.image).toBe('truncated.png')
    expect(out.unreadable[0]!.reason).toMatch(/truncated|corrupt/)
    const second = cli(['thumbnails', '--db', db, '--json'])
    expect(second.json()).toMatchObject({
      images: 5,
      made: 0,
      cached: 4,
      facts: { computed: 0, unchanged: 4 },
    })
  })

  it('[K5] check then lists exact duplicates, inverted-looking and unreadable images', () => {
    const r = cli(['check', '--db', db, '--json'])
    expect(r.code).toBe(0)
    const out = r.json() as {
      problems: { kind: string; count: number; examples: string[] }[]
      duplicates: { exact: string[][] }
      imagesWithFacts: number
    }
    const kinds = Object.fromEntries(out.problems.map((p) => [p.kind, p]))
    expect(out.duplicates.exact).toEqual([['a.png', 'b.png']])
    expect(kinds['duplicate-pixels']).toMatchObject({ count: 2, examples: ['a.png = b.png'] })
    expect(kinds['looks-inverted']).toMatchObject({ count: 1, examples: ['inverted.png'] })
    expect(kinds['unreadable-image']?.examples[0]).toMatch(/^truncated\.png: /)
    expect(out.imagesWithFacts).toBe(5)
  })

  it('refuses a bad --jobs with exit code 2', () => {
    const r = cli(['thumbnails', '--db', db, '--jobs', 'many'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('--jobs must be a whole number')
  })
})
