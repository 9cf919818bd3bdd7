import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importCxr14, importLabels } from '@cxr-audit/ingest'
import { openStore } from '@cxr-audit/store'
import {
  GOOGLE,
  googleSubsetMetadata,
} from '../../../../packages/ingest/src/labels-test-fixture.ts'
import { DIALECTS, tempDatabase } from '../../../../test-support/temp-store.ts'

const BIN = fileURLToPath(new URL('../../bin/cxr-audit.js', import.meta.url))

interface Run {
  readonly code: number
  readonly json: Record<string, unknown>
  readonly stderr: string
}

describe.each(DIALECTS)('cxr-audit labels commands (child processes, %s)', (kind) => {
  let dir: string
  let db: string
  const run = (...args: string[]): Promise<Run> =>
    new Promise((resolve) => {
      execFile(
        process.execPath,
        [BIN, ...args, '--db', db, '--json'],
        { maxBuffer: 64 << 20 },
        (error, stdout, stderr) => {
          const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1
          resolve({ code, json: JSON.parse(stdout) as Record<string, unknown>, stderr })
        },
      )
    })

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cxr-audit-labels-cli-'))
    db = await tempDatabase(kind, dir)
    // the dataset and the individual reads are set up in-process: child processes cost a second each
    const store = await openStore(db)
    await importCxr14(store, { metadata: googleSubsetMetadata(dir) })
    await importLabels(store, { file: GOOGLE.readers, reader: 'gr', readerColumn: 'Reader ID' })
    await store.close()
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('[L1] import labels prints the contract fields; bad input exits 2 and imports nothing', async () => {
    const bad = join(dir, 'bad.csv')
    writeFileSync(
      bad,
      'Image Index,Pneumothorax\n00000119_001.png,YES\n00000134_000.png,sometimes\n',
    )
    const [ok, badValue] = await Promise.all([
      run('import', 'labels', '--file', GOOGLE.adjudicated, '--reader', 'google'),
      run('import', 'labels', '--file', bad, '--reader', 'bad'),
    ])
    expect(ok.code).toBe(0)
    expect(ok.json).toMatchObject({
      readers: ['google'],
      images: 2414,
      verdicts: 7242,
      unknownImages: 0,
      mapped: {
        Pneumothorax: 'Pneumothorax',
        'Airspace opacity': 'Opacity',
        'Nodule or mass': 'Nodule/Mass',
      },
      ignoredColumns: expect.arrayContaining(['Fracture']) as unknown,
    })
    expect(badValue.code).toBe(2)
    expect(badValue.json['error']).toMatchObject({
      kind: 'bad-rows',
      rows: [expect.objectContaining({ line: 3, column: 'Pneumothorax' })],
    })
  })

  it('[L3]-[L13] stats labels and stats agreement print the contract fields', async () => {
    const [labels, agreement] = await Promise.all([
      run(
        'stats',
        'labels',
        '--reader',
        'google',
        '--finding',
        'Pneumothorax',
        '--ci',
        'clopper-pearson',
        '--by',
        'sex',
      ),
      run(
        'stats',
        'agreement',
        '--reader-prefix',
        'gr:',
        '--finding',
        'Opacity',
        '--replicates',
        '100',
      ),
    ])
    expect(labels.code).toBe(0)
    expect(labels.json).toMatchObject({ reader: 'google', ci: 'clopper-pearson' })
    const [ptx] = labels.json['findings'] as Record<string, unknown>[]
    for (const key of [
      'finding',
      'labelledPositive',
      'present',
      'absent',
      'uncertain',
      'ppv',
      'ppvLow',
      'ppvHigh',
      'ppvLenient',
      'labelledNegative',
      'npv',
      'npvLow',
      'npvHigh',
      'sensitivity',
      'specificity',
      'publishedPrecision',
      'negativePresent',
      'negativeAbsent',
      'negativeUncertain',
      'subgroups',
    ])
      expect(ptx, key).toHaveProperty(key)
    expect(ptx).toMatchObject({
      finding: 'Pneumothorax',
      labelledPositive: 38,
      present: 12,
      publishedPrecision: 0.943,
    })
    expect((ptx!['subgroupTest'] as { ppv: { method: string } }).ppv.method).toBe('fisher-exact')
    expect(agreement.code).toBe(0)
    expect((agreement.json['readers'] as string[]).length).toBe(13)
    const [opacity] = agreement.json['findings'] as Record<string, unknown>[]
    for (const key of [
      'finding',
      'images',
      'reads',
      'fleissKappa',
      'fleissKappaLow',
      'fleissKappaHigh',
      'percentAgreement',
      'pairs',
    ])
      expect(opacity, key).toHaveProperty(key)
    expect(Object.keys((opacity!['pairs'] as object[])[0]!)).toEqual(
      expect.arrayContaining(['a', 'b', 'images', 'cohenKappa']),
    )
  })

  it('[L16] [L17] export labels and report write their files; a report of another type exits 2', async () => {
    const out = join(dir, 'google.csv')
    const [exported, report, wrong] = await Promise.all([
      run('export', 'labels', '--reader', 'google', '--out', out, '--format', 'long'),
      run(
        'report',
        '--reader',
        'google',
        '--agreement-prefix',
        'gr:',
        '--replicates',
        '50',
        '--out',
        join(dir, 'r.html'),
      ),
      run('report', '--reader', 'google', '--out', join(dir, 'r.docx')),
    ])
    // --reader is parsed at the edge: the messages of the store's old parser, exit 2
    const [noMembers, empty] = await Promise.all([
      run('export', 'labels', '--reader', 'consensus:', '--out', join(dir, 'none.csv')),
      run('stats', 'labels', '--reader', ''),
    ])
    expect(noMembers.code).toBe(2)
    expect(noMembers.json['error']).toEqual({
      kind: 'bad-input',
      message: '--reader needs a reader name or consensus:A,B,C',
    })
    expect(empty.code).toBe(2)
    expect(empty.json['error']).toEqual({
      kind: 'bad-input',
      message: '--reader is needed (a reader name or consensus:A,B,C)',
    })
    expect(exported.code).toBe(0)
    expect(exported.json).toMatchObject({ format: 'long', rows: 7242 })
    expect(report.code).toBe(0)
    expect(report.json).toMatchObject({ format: 'html', findings: 3 })
    expect(wrong.code).toBe(2)
    const store = await openStore(db)
    const copy = await importLabels(store, { file: out, reader: 'copy' })
    await store.close()
    expect(copy).toMatchObject({ verdicts: 7242, newVerdicts: 7242, format: 'long' })
  })
})
