import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ModelEvalReport } from '@cxr-audit/core'
import { importCxr14 } from '@cxr-audit/ingest'
import { openStore, type GalleryReport } from '@cxr-audit/store'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sharedData } from '../../../../test-support/shared-data.ts'
import { DIALECTS, tempDatabase } from '../../../../test-support/temp-store.ts'
import { runCli } from '../run-cli.ts'

const PREDICTIONS = sharedData('predictions/densenet121-jrzech-test-preds.csv')

describe.each(DIALECTS)(
  'cxr-audit import predictions / eval / gallery (the real binary, %s)',
  (kind) => {
    let dir: string
    let db: string
    const cli = (...args: string[]) => runCli([...args, '--db', db])

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'cxr-models-cli-'))
      db = await tempDatabase(kind, dir, 'cli.sqlite')
      const store = await openStore(db)
      await importCxr14(store, {
        metadata: sharedData('cxr14/Data_Entry_2017_v2020.csv.gz'),
        images: [sharedData('cxr14/images')],
      })
      await store.close()
      const r = cli('import', 'predictions', '--file', PREDICTIONS, '--model', 'densenet', '--json')
      expect(r.stderr).toBe('')
      expect(r.code).toBe(0)
    })
    afterAll(() => rmSync(dir, { recursive: true, force: true }))

    it('[M1] [M3] [M5] import predictions --json: the summary document', () => {
      const csv = join(dir, 'few.csv')
      writeFileSync(
        csv,
        'Image Index,prob_Mass,prob_Unicorn\n00000001_000.png,0.25,0.5\nghost.png,0.5,0.5\n',
      )
      const r = cli('import', 'predictions', '--file', csv, '--model', 'few', '--json')
      expect(r.code).toBe(0)
      const out = r.json() as Record<string, unknown>
      expect(Object.keys(out)).toEqual(
        expect.arrayContaining(['model', 'images', 'findings', 'unknownImages']),
      )
      expect(out).toMatchObject({
        model: 'few',
        images: 1,
        findings: ['Mass'],
        unknownImages: 1,
        unknownFindings: ['prob_Unicorn'],
      })
    })

    it('[M4] [M7] a NaN score exits 2 naming file, line and column; so does a second import of a name', () => {
      const nan = join(dir, 'nan.csv')
      writeFileSync(nan, 'Image Index,prob_Mass\n00000001_000.png,0.25\n00000001_001.png,nan\n')
      const r = cli('import', 'predictions', '--file', nan, '--model', 'nan', '--json')
      expect(r.code).toBe(2)
      expect(r.json()).toMatchObject({
        error: {
          kind: 'bad-rows',
          rows: [
            { file: nan, line: 3, column: 'prob_Mass', message: '"nan" is not a finite number' },
          ],
        },
      })
      const again = cli('import', 'predictions', '--file', PREDICTIONS, '--model', 'densenet')
      expect(again.code).toBe(2)
      expect(again.stderr).toMatch(/already exists.*--replace/)
    })

    it('[M10] [M11] [M22] [M23] [M40] eval --json: per finding and per subgroup, with the methods named', () => {
      const r = cli(
        'eval',
        '--model',
        'densenet',
        '--finding',
        'Pneumothorax',
        '--finding',
        'hernia',
        '--by',
        'sex',
        '--json',
      )
      expect(r.stderr).toBe('')
      expect(r.code).toBe(0)
      const out = r.json() as ModelEvalReport
      expect(out).toMatchObject({
        model: 'densenet',
        against: 'original',
        images: 22433,
        threshold: 'youden',
      })
      const [ptx, hernia] = out.findings
      expect(ptx).toMatchObject({
        finding: 'Pneumothorax',
        n: 22433,
        positives: 1089,
        excludedUncertain: 0,
      })
      for (const k of [
        'n',
        'positives',
        'auc',
        'aucLow',
        'aucHigh',
        'operatingPoint',
        'calibration',
        'publishedAuc',
      ])
        expect(ptx).toHaveProperty(k)
      expect(ptx!.aucLow!).toBeLessThan(ptx!.auc!)
      expect(ptx!.curves).toBeUndefined()
      expect(hernia!.finding).toBe('Hernia')
      const sex = ptx!.subgroups![0]!
      expect(sex.method).toMatch(/DeLong/)
      expect(sex.tests).toEqual([expect.objectContaining({ a: 'F', b: 'M' })])
      expect(out.hiddenStratification.map((h) => [h.finding, h.group])).toEqual([
        ['Pneumothorax', 'F'],
        ['Pneumothorax', 'M'],
        ['Hernia', 'F'],
        ['Hernia', 'M'],
      ])
      const human = cli(
        'eval',
        '--model',
        'densenet',
        '--finding',
        'Hernia',
        '--threshold',
        'sens:0.9',
      )
      expect(human.code).toBe(0)
      expect(human.stdout).toMatch(/Hernia\s+22433\s+42/)
    })

    it('bad options exit 2 (the store tests cover every kind of bad name)', () => {
      for (const args of [
        ['eval', '--model', 'densenet', '--threshold', 'abc'],
        ['eval', '--model', 'densenet', '--by', 'colour'],
        ['eval', '--model', 'densenet', '--against', 'consensus:'],
        ['gallery', '--model', 'densenet', '--finding', 'Mass', '--threshold', 'sens:2'],
        ['gallery', '--model', 'densenet', '--finding', 'Mass', '--cell', 'xx'],
      ]) {
        const r = cli(...args, '--json')
        expect(r.code, args.join(' ')).toBe(2)
        expect(r.json()).toHaveProperty('error.message')
        expect(r.json()).toHaveProperty('error.kind', 'bad-input')
      }
    })

    it('[M30] [M31] [M32] gallery --json: a seeded sheet of false positives, created as an audit', () => {
      const r = cli(
        'gallery',
        '--model',
        'densenet',
        '--finding',
        'Pneumothorax',
        '--cell',
        'fp',
        '--seed',
        '7',
        '--json',
      )
      expect(r.stderr).toBe('')
      expect(r.code).toBe(0)
      const out = r.json() as GalleryReport
      const fp = out.galleries[0]!
      expect(out.onDiskOnly).toBe(true)
      expect(fp.cell).toBe('fp')
      expect(fp.population).toBeGreaterThan(18)
      expect(fp.drawn).toBe(18)
      expect(fp.audit).toMatchObject({ created: true })
      for (const im of fp.images) {
        expect(im.labelled).toBe(0)
        expect(im.score).toBeGreaterThanOrEqual(out.threshold.threshold)
      }
    })
  },
)
