import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sharedData } from '../../../../test-support/shared-data.ts'
import { DIALECTS, tempDatabase } from '../../../../test-support/temp-store.ts'
import { runCli } from '../run-cli.ts'

describe.each(DIALECTS)('import dicom (the real binary, %s)', (kind) => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cxr-audit-dicom-'))
    mkdirSync(join(dir, 'films', 'a'), { recursive: true })
    copyFileSync(sharedData('dicom/siim-cxr-jpeg-baseline.dcm'), join(dir, 'films', 'a', 'IM1'))
    copyFileSync(
      sharedData('dicom/nih-cxr14-dx-explicit-little-endian.dcm'),
      join(dir, 'films', 'IM2'),
    )
    writeFileSync(join(dir, 'films', 'DICOMDIR.txt'), 'not DICOM')
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('[DS21] --json prints the items and the skipped files; a missing folder exits 2', async () => {
    const db = await tempDatabase(kind, dir, 'dicom.sqlite')
    const r = runCli(['import', 'dicom', '--images', join(dir, 'films'), '--db', db, '--json'])
    expect(r.code).toBe(0)
    expect(r.json()).toMatchObject({
      dataset: 'DICOM folder',
      images: 2,
      studies: 2,
      series: 2,
      patients: 2,
      views: { PA: 1, unknown: 1 },
      skipped: [{ file: 'DICOMDIR.txt', uid: null, reason: 'not a readable DICOM file' }],
    })
    const check = runCli(['check', '--db', db, '--json'])
    expect(check.code).toBe(0)
    expect(check.json()).toMatchObject({ dataset: 'DICOM folder', images: 2 })
    const bad = runCli(['import', 'dicom', '--images', join(dir, 'none'), '--db', db, '--json'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain(join(dir, 'none'))
    expect(bad.stdout).toContain('"error"')
  })
})
