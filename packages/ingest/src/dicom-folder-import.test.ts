import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FileSource } from '@cxr-audit/imaging'
import { findDataset, listImages, loadImageFacts } from '@cxr-audit/store'
import { tableRows } from '@cxr-audit/store/testing'
import { writeDicom } from '../../imaging/src/testing/dicom-writer.ts'
import { sharedData } from '../../../test-support/shared-data.ts'
import { importDicomFolder } from './dicom-folder-import.ts'
import { buildThumbnails } from './thumbnails.ts'
import { DIALECTS, snapshot, tempStore } from './test-helpers.ts'

const NIH = sharedData('dicom/nih-cxr14-dx-explicit-little-endian.dcm')
const JPEG = sharedData('dicom/siim-cxr-jpeg-baseline.dcm')
const MONO1 = sharedData('dicom/siim-cxr-jpeg-baseline-monochrome1.dcm')
const JPEG_UID = '1.2.276.0.7230010.3.1.4.8323329.6904.1517875201.850819'
// the MONOCHROME1 file is a copy of the JPEG one with the same SOP Instance UID; the folder
// holds it once as itself (a second copy of an instance) and once with one digit of that UID
// changed in place (a distinct instance of the same study and series)
const MONO1_UID = '1.2.276.0.7230010.3.1.4.8323329.6904.1517875201.850818'

/** A folder as a hospital export leaves it: nested, no extensions, other files beside. */
function makeFolder(root: string): void {
  mkdirSync(join(root, 'patient1', 'study1'), { recursive: true })
  mkdirSync(join(root, 'siim'), { recursive: true })
  copyFileSync(NIH, join(root, 'patient1', 'study1', 'IM0001'))
  copyFileSync(JPEG, join(root, 'siim', 'jpeg.dcm'))
  copyFileSync(MONO1, join(root, 'siim', 'copy-of-jpeg.dcm'))
  const bytes = readFileSync(MONO1)
  // in the file meta (Media Storage SOP Instance UID) and in the data set
  for (let at = bytes.indexOf(JPEG_UID); at >= 0; at = bytes.indexOf(JPEG_UID, at + 1))
    bytes.write(MONO1_UID, at, 'latin1')
  writeFileSync(join(root, 'siim', 'mono1.dcm'), bytes)
  writeFileSync(join(root, 'README.txt'), 'exported from the PACS\n')
  // a structured report: DICOM, but not a film
  writeFileSync(
    join(root, 'patient1', 'SR0001'),
    writeDicom({
      transferSyntax: '1.2.840.10008.1.2.1',
      elements: [
        { tag: [0x0008, 0x0016], vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.88.11' },
        { tag: [0x0008, 0x0018], vr: 'UI', value: '1.2.826.0.1.3680043.9.7.1.1' },
        { tag: [0x0008, 0x0060], vr: 'CS', value: 'SR' },
        { tag: [0x0020, 0x000d], vr: 'UI', value: '1.2.826.0.1.3680043.9.7.1.2' },
        { tag: [0x0020, 0x000e], vr: 'UI', value: '1.2.826.0.1.3680043.9.7.1.3' },
      ],
    }),
  )
}

describe.each(DIALECTS)('import dicom: a folder of DICOM files (%s)', (kind) => {
  let t: Awaited<ReturnType<typeof tempStore>>
  let dir: string
  let folder: string
  beforeAll(async () => {
    t = await tempStore(kind)
    dir = mkdtempSync(join(tmpdir(), 'cxr-dicom-folder-'))
    folder = join(dir, 'export')
    makeFolder(folder)
  })
  afterAll(async () => {
    await t.cleanup()
    rmSync(dir, { recursive: true, force: true })
  })

  it('[DS21] one item per instance with patient, study, series, view, sex, age from the headers; other files skipped', async () => {
    const s = await importDicomFolder(t.store, { images: [folder], name: 'Hospital' })
    expect(s).toMatchObject({
      dataset: 'Hospital',
      images: 3,
      studies: 2,
      series: 2,
      patients: 2,
      files: 6,
      views: { PA: 2, unknown: 1 },
      sexes: { M: 3 },
      inserted: 3,
      // no file says Patient Identity Removed YES
      privacy: { identifiable: 3, burnedIn: 0 },
    })
    expect(s.skipped.map((k) => [k.file, k.reason])).toEqual([
      ['README.txt', 'not a readable DICOM file'],
      [
        join('patient1', 'SR0001'),
        expect.stringContaining('not an image of a film: SOP class 1.2.840.10008.5.1.4.1.1.88.11'),
      ],
      [
        join('siim', 'jpeg.dcm'),
        `the same SOP Instance UID as ${join('siim', 'copy-of-jpeg.dcm')}`,
      ],
    ])
    const ds = await findDataset(t.store.db, 'Hospital')
    expect(ds.sourceFormat).toBe('dicom')
    expect(ds.imageRoots).toEqual([s.folders[0]])
    const images = await listImages(t.store.db, ds.id)
    const byName = new Map(images.map((im) => [im.name, im]))
    expect(byName.get(MONO1_UID)).toMatchObject({
      patient: '16d7f894-55d7-4d95-8957-d18987f0e981',
      sex: 'M',
      age: 62,
      view: 'PA',
      width: 1024,
      height: 1024,
    })
    // Implicit VR Little Endian: Rows and Columns are read as numbers, not text
    expect(
      byName.get('1.3.6.1.4.1.11129.5.5.110503645592756492463169821050252582267888'),
    ).toMatchObject({
      patient: 'Covid0000',
      age: 81,
      view: '',
      width: 1024,
      height: 1024,
    })
    const rows = await tableRows(t.store.db, 'image')
    expect(new Set(rows.map((r) => r.study))).toEqual(
      new Set([
        '1.2.276.0.7230010.3.1.2.8323329.6904.1517875201.850818',
        '1.3.6.1.4.1.11129.5.5.112507010803284478207522016832191866964708',
      ]),
    )
    const instances = await tableRows(t.store.db, 'dicom_instance')
    expect(instances.map((r) => r.identity_removed)).toEqual([null, null, null])
  })

  it('[DS21] the images are served from the folder: uncompressed, JPEG and MONOCHROME1 through the decoder', async () => {
    const ds = await findDataset(t.store.db, 'Hospital')
    const report = await buildThumbnails(t.store, ds, { cacheDir: join(dir, `cache-${kind}`) })
    expect(report.unavailable).toEqual([])
    const facts = await loadImageFacts(t.store.db, ds.id)
    expect(facts).toHaveLength(3)
    expect(facts.map((f) => f.unreadableReason)).toEqual([null, null, null])
    // the folder is the dataset's root: a file beside it is refused, inside is found
    const source = new FileSource(ds.imageRoots)
    await expect(source.locate(join(dir, 'outside.dcm'))).rejects.toMatchObject({
      kind: 'outside-root',
    })
    await expect(source.locate(join(folder, 'siim', 'mono1.dcm'))).resolves.toContain('mono1.dcm')
  }, 60_000)

  it('[DS21] importing again changes nothing; a missing folder is an error and changes nothing', async () => {
    const before = await snapshot(t.store)
    const again = await importDicomFolder(t.store, { images: [folder], name: 'Hospital' })
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 3 })
    expect(await snapshot(t.store)).toEqual(before)
    await expect(
      importDicomFolder(t.store, { images: [join(dir, 'nowhere')], name: 'Other' }),
    ).rejects.toThrow(/nowhere.*cannot read the image folder/)
    expect(await snapshot(t.store)).toEqual(before)
  })
})
