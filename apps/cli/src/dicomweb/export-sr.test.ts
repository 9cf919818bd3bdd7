import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { dicomFileAttributes } from '@cxr-audit/imaging'
import { jsonAttributes, type DicomJsonDataset } from '@cxr-audit/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startOrthanc, type TestOrthanc } from '../../../../test-support/orthanc.ts'
import { FILMS, PATIENTS, uploadTestArchive } from '../../../../test-support/pacs.ts'
import { checkVerdictReport, type ExpectedReport } from '../../../../test-support/sr-check.ts'
import { DIALECTS, tempDatabase } from '../../../../test-support/temp-store.ts'
import { runCli } from '../run-cli.ts'

interface SrJson {
  documents: number
  stored: number
  failed: { image: string; reason: string }[]
  reports: string[]
}

describe.each(DIALECTS)('cxr-audit export sr (%s)', (kind) => {
  let orthanc: TestOrthanc
  let dir: string
  let db: string
  const cli = (args: string[]) =>
    runCli([...args, '--db', db, '--json'], { env: orthanc.env, cwd: dir })
  const [alpha1, , beta1] = FILMS as [(typeof FILMS)[0], (typeof FILMS)[0], (typeof FILMS)[0]]
  const expected: ExpectedReport[] = [
    {
      patientName: PATIENTS.alpha.patientName,
      patientId: PATIENTS.alpha.patientId,
      study: alpha1.study,
      imageSeries: alpha1.series,
      image: alpha1.sop,
      imageClass: '1.2.840.10008.5.1.4.1.1.1.1',
      observer: 'Dr Long',
      date: '20240301',
      time: '091500.000',
      // finding order of the dataset: Effusion before Pneumothorax; Hernia has a private code
      verdicts: [
        ['60046008', 'SCT', '2667000'],
        ['36118008', 'SCT', '52101004'],
        ['HERNIA', '99CXRAUD', '82334004'],
      ],
      tags: ['chest drain'],
    },
    {
      patientName: PATIENTS.beta.patientName,
      patientId: PATIENTS.beta.patientId,
      study: beta1.study,
      imageSeries: beta1.series,
      image: beta1.sop,
      imageClass: '1.2.840.10008.5.1.4.1.1.1.1',
      observer: 'Dr Long',
      date: '20240302',
      time: '100000.000',
      verdicts: [['8186001', 'SCT', '52101004']],
      tags: [],
    },
  ]

  beforeAll(async () => {
    orthanc = await startOrthanc()
    await uploadTestArchive(orthanc)
    dir = mkdtempSync(join(tmpdir(), 'cxr-sr-'))
    db = await tempDatabase(kind, dir, 'db.sqlite')
    expect(cli(['import', 'dicomweb', '--url', orthanc.dicomweb, '--name', 'PACS']).code).toBe(0)
    const csv = join(dir, 'long.csv')
    writeFileSync(
      csv,
      [
        'SOPInstanceUID,Finding,Verdict,Tags,Time',
        `${alpha1.sop},Pneumothorax,present,chest drain,2024-03-01T09:10:00.000Z`,
        `${alpha1.sop},Effusion,absent,,2024-03-01T09:12:00.000Z`,
        `${alpha1.sop},Hernia,uncertain,,2024-03-01T09:15:00.000Z`,
        `${beta1.sop},Cardiomegaly,present,,2024-03-02T10:00:00.000Z`,
      ].join('\n') + '\n',
    )
    const labels = cli(['import', 'labels', '--file', csv, '--reader', 'Dr Long'])
    expect(labels.code, labels.stderr).toBe(0)
  })
  afterAll(async () => {
    await orthanc?.dispose()
    rmSync(dir, { recursive: true, force: true })
  })

  it('[D8] writes one valid Comprehensive SR per reviewed film to a folder, every field as expected', () => {
    const out = join(dir, 'reports')
    const r = cli(['export', 'sr', '--dataset', 'PACS', '--reader', 'Dr Long', '--to', out])
    expect(r.code, r.stderr).toBe(0)
    expect(r.json()).toMatchObject({ documents: 2, stored: 2, failed: [] })
    const files = readdirSync(out).sort()
    expect(files).toHaveLength(2)
    const read = files.map((f) =>
      dicomFileAttributes(f, new Uint8Array(readFileSync(join(out, f)))),
    )
    const byImage = (image: string) =>
      read.find(
        (a) =>
          a.items('0040A375')[0]?.items('00081115')[0]?.items('00081199')[0]?.text('00081155') ===
          image,
      )!
    for (const e of expected) checkVerdictReport(byImage(e.image), e)
    for (const f of files) {
      // dicom3tools' validator: no errors (missing type 1 attributes, bad values, wrong IOD)
      const v = spawnSync('dciodvfy', [join(out, f)], { encoding: 'utf8' })
      expect(v.error, 'dciodvfy (apt-get install dicom3tools)').toBeUndefined()
      const report = `${v.stdout}${v.stderr}`
      expect(report).toContain('ComprehensiveSR')
      expect(report.split('\n').filter((l) => /^Error/.test(l))).toEqual([])
    }
  })

  it('[D8] stores them with STOW-RS; the archive reads them back; exporting again adds nothing', async () => {
    const r = cli([
      'export',
      'sr',
      '--dataset',
      'PACS',
      '--reader',
      'Dr Long',
      '--to',
      orthanc.dicomweb,
    ])
    expect(r.code, r.stderr).toBe(0)
    const out = r.json() as SrJson
    expect(out).toMatchObject({ documents: 2, stored: 2, failed: [] })
    const auth = {
      authorization: `Basic ${Buffer.from(`${orthanc.user}:${orthanc.password}`).toString('base64')}`,
    }
    for (const e of expected) {
      const series = (await (
        await fetch(`${orthanc.dicomweb}/studies/${e.study}/series?Modality=SR`, { headers: auth })
      ).json()) as DicomJsonDataset[]
      const srSeries = series.map((s) => jsonAttributes(s).text('0020000E')!)
      const found: DicomJsonDataset[] = []
      for (const s of srSeries)
        found.push(
          ...((await (
            await fetch(`${orthanc.dicomweb}/studies/${e.study}/series/${s}/metadata`, {
              headers: auth,
            })
          ).json()) as DicomJsonDataset[]),
        )
      const mine = found.filter((m) => out.reports.includes(jsonAttributes(m).text('00080018')!))
      expect(mine).toHaveLength(1)
      checkVerdictReport(jsonAttributes(mine[0]!), e)
    }
    const count = async () =>
      ((await (await fetch(`${orthanc.rest}/instances`, { headers: auth })).json()) as unknown[])
        .length
    const before = await count()
    const again = cli([
      'export',
      'sr',
      '--dataset',
      'PACS',
      '--reader',
      'Dr Long',
      '--to',
      orthanc.dicomweb,
    ])
    expect((again.json() as SrJson).reports.sort()).toEqual([...out.reports].sort())
    expect(await count()).toBe(before)
    // the reports are now in the studies: a new import lists them, and imports no more images
    const reimport = cli(['import', 'dicomweb', '--url', orthanc.dicomweb, '--name', 'PACS'])
    const skipped = reimport.json() as {
      images: number
      skipped: { uid: string; reason: string }[]
    }
    expect(skipped.images).toBe(9)
    for (const uid of out.reports)
      expect(skipped.skipped).toContainEqual(
        expect.objectContaining({ uid, reason: expect.stringMatching(/Comprehensive SR/) }),
      )
  })

  it('[D8] refuses an unknown reader or audit (exit 2)', () => {
    const r = cli(['export', 'sr', '--dataset', 'PACS', '--reader', 'Nobody', '--to', dir])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/no reader named "Nobody"/)
    const a = cli([
      'export',
      'sr',
      '--dataset',
      'PACS',
      '--reader',
      'Dr Long',
      '--audit',
      '77',
      '--to',
      dir,
    ])
    expect(a.code).toBe(2)
    expect(a.stderr).toMatch(/no audit 77/)
  })
})
