import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { findDataset, openStore, type Store } from '@cxr-audit/store'
import { countRows, tableRows } from '@cxr-audit/store/testing'
import { THUMBNAIL_SIZE, thumbnailDataUri } from '@cxr-audit/report'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startOrthanc, type TestOrthanc } from '../../../../test-support/orthanc.ts'
import { FILMS, uploadTestArchive, type TestArchive } from '../../../../test-support/pacs.ts'
import { startProxy } from '../../../../test-support/http-proxy.ts'
import { DIALECTS, tempDatabase } from '../../../../test-support/temp-store.ts'
import { runCli, runCliAsync } from '../run-cli.ts'

interface ImportJson {
  dataset: string
  images: number
  studies: number
  patients: number
  skipped: { uid: string; study: string; reason: string }[]
  inserted: number
  unchanged: number
  privacy: { identifiable: number; burnedIn: number }
}
interface ThumbsJson {
  images: number
  made: number
  cached: number
  unreadable: { image: string; reason: string }[]
  unavailable: { image: string; reason: string }[]
  facts: { computed: number }
}

describe.each(DIALECTS)(
  'cxr-audit import dicomweb, thumbnails and labels against a real Orthanc (%s)',
  (kind) => {
    let orthanc: TestOrthanc
    let archive: TestArchive
    let dir: string
    let db: string
    let cache: string
    const cli = (args: string[], env: Record<string, string> = orthanc.env) =>
      runCli([...args, '--db', db, '--json'], { env, cwd: dir })
    /** What the database holds now, read through the store as the CLI left it. */
    const inStore = async <T>(read: (store: Store) => Promise<T>, url = db): Promise<T> => {
      const store = await openStore(url)
      try {
        return await read(store)
      } finally {
        await store.close()
      }
    }

    beforeAll(async () => {
      orthanc = await startOrthanc()
      archive = await uploadTestArchive(orthanc)
      dir = mkdtempSync(join(tmpdir(), 'cxr-dicomweb-'))
      db = await tempDatabase(kind, dir, 'db.sqlite')
      cache = join(dir, 'cache')
    })
    afterAll(async () => {
      await orthanc?.dispose()
      rmSync(dir, { recursive: true, force: true })
    })

    it('[D4] refuses wrong credentials and credentials in the URL (exit 2), changing nothing', async () => {
      const wrong = cli(['import', 'dicomweb', '--url', orthanc.dicomweb], {
        CXR_AUDIT_DICOMWEB_USER: orthanc.user,
        CXR_AUDIT_DICOMWEB_PASSWORD: 'wrong',
      })
      expect(wrong.code).toBe(2)
      expect(wrong.stderr).toMatch(/refused the credentials \(HTTP 401\)/)
      expect((wrong.json() as { error: { kind: string } }).error.kind).toBe('dicomweb-unauthorized')
      const inUrl = cli([
        'import',
        'dicomweb',
        '--url',
        orthanc.dicomweb.replace('http://', `http://${orthanc.user}:${orthanc.password}@`),
      ])
      expect(inUrl.code).toBe(2)
      expect(inUrl.stderr).toMatch(/credentials do not belong in the URL/)
      expect(inUrl.stderr).not.toContain(orthanc.password)
      expect(await inStore((s) => countRows(s.db, 'dataset'))).toBe(0)
    })

    it('[D1] [D2] [D5] imports one item per image instance with its attributes, listing the report', async () => {
      const r = cli(['import', 'dicomweb', '--url', orthanc.dicomweb, '--name', 'PACS'])
      expect(r.code, r.stderr).toBe(0)
      const out = r.json() as ImportJson
      expect(out).toMatchObject({
        dataset: 'PACS',
        images: 9,
        studies: archive.studies,
        patients: archive.patients,
        inserted: 9,
        privacy: { identifiable: 7, burnedIn: 1 },
      })
      expect(out.skipped).toEqual([
        expect.objectContaining({
          uid: archive.report,
          reason: expect.stringMatching(
            /not an image of a film: SOP class .*88\.11 \(Basic Text SR\)/,
          ),
        }),
      ])
      const { images, dataset, instances } = await inStore(async (s) => ({
        images: (await tableRows(s.db, 'image')).sort((a, b) =>
          String(a['name']) < String(b['name']) ? -1 : 1,
        ),
        dataset: await findDataset(s.db),
        instances: await tableRows(s.db, 'dicom_instance'),
      }))
      expect(images.map((i) => i['name'])).toEqual(archive.images)
      for (const f of FILMS) {
        const im = images.find((i) => i['name'] === f.sop)!
        expect(im).toMatchObject({
          patient: f.patientId,
          sex: f.sex,
          age: Number(f.age.slice(0, 3)),
          view: f.view, // the beta PA film gives it only as a View Code Sequence item
          path: `studies/${f.study}/series/${f.series}/instances/${f.sop}`,
          on_disk: 1,
        })
      }
      expect(dataset.imageRoots).toEqual([orthanc.dicomweb])
      expect(dataset.sourceFormat).toBe('dicomweb')
      // the database keeps no patient names
      const dump = JSON.stringify(images) + JSON.stringify(instances)
      for (const f of FILMS) expect(dump).not.toContain(f.patientName)
    })

    it('[D1] importing again changes nothing; --study and --since narrow the search', () => {
      const again = cli(['import', 'dicomweb', '--url', orthanc.dicomweb, '--name', 'PACS'])
      expect(again.code, again.stderr).toBe(0)
      expect(again.json()).toMatchObject({ images: 9, inserted: 0, updated: 0, unchanged: 9 })
      const one = cli([
        'import',
        'dicomweb',
        '--url',
        orthanc.dicomweb,
        '--name',
        'Beta only',
        '--study',
        FILMS[2]!.study,
      ])
      expect(one.json()).toMatchObject({ images: 2, studies: 1, patients: 1, skipped: [] })
      const since = cli([
        'import',
        'dicomweb',
        '--url',
        orthanc.dicomweb,
        '--name',
        'Recent',
        '--since',
        '2024-01-01',
      ])
      expect(since.json()).toMatchObject({ images: 4, studies: 2, patients: 2 })
      const bad = cli(['import', 'dicomweb', '--url', orthanc.dicomweb, '--since', '2024-13-01'])
      expect(bad.code).toBe(2)
      expect(bad.stderr).toMatch(/--since "2024-13-01"/)
    })

    it('[D6] thumbnails fetch every film with WADO-RS, decode it like a file, list the corrupt one', async () => {
      const r = cli(['thumbnails', '--dataset', 'PACS', '--cache', cache, '--jobs', '3'])
      expect(r.code, r.stderr).toBe(0)
      const out = r.json() as ThumbsJson
      expect(out).toMatchObject({
        images: 9,
        made: 8,
        cached: 0,
        unavailable: [],
        facts: { computed: 8 },
      })
      expect(out.unreadable).toEqual([
        { image: archive.corrupt, reason: expect.stringMatching(/^corrupt: /) },
      ])
      const facts = await inStore(async (s) => {
        const pacs = await findDataset(s.db, 'PACS')
        return (await tableRows(s.db, 'image')).filter((im) => im['dataset_id'] === pacs.id)
      })
      const fact = (uid: string) => facts.find((f) => f['name'] === uid)!
      expect(fact(archive.monochrome1)['photometric']).toBe('MONOCHROME1')
      expect(fact(archive.jpegBaseline)['photometric']).toBe('MONOCHROME2')
      // the same JPEG pixels, MONOCHROME1 shown inverted: the two displays are mirror images
      const m1 = Number(fact(archive.monochrome1)['mean_intensity'])
      const m2 = Number(fact(archive.jpegBaseline)['mean_intensity'])
      expect(m1 + m2).toBeCloseTo(1, 2)
      expect(Math.abs(m1 - m2)).toBeGreaterThan(0.05)
      expect(fact(archive.corrupt)['unreadable_reason']).toMatch(/^corrupt/)
    })

    it('[D6] [I23] cached films are served without the server; a stopped server is per image, never fatal, and resumes', async () => {
      await orthanc.stop()
      try {
        const r = cli(['thumbnails', '--dataset', 'PACS', '--cache', cache])
        expect(r.code, r.stderr).toBe(0)
        const out = r.json() as ThumbsJson
        expect(out).toMatchObject({ images: 9, cached: 8, made: 0 })
        // only the corrupt film was not cached: the server is asked, does not answer, and it is
        // listed as unavailable, not stored as unreadable for another reason
        expect(out.unavailable).toEqual([
          {
            image: archive.corrupt,
            reason: expect.stringMatching(/^unavailable: the server did not answer/),
          },
        ])
        const fresh = cli(['thumbnails', '--dataset', 'PACS', '--cache', join(dir, 'cold')])
        expect(fresh.code, fresh.stderr).toBe(0)
        const cold = fresh.json() as ThumbsJson
        expect(cold.unavailable).toHaveLength(9)
        expect(cold.unreadable).toEqual([])
        const images = await inStore((s) => tableRows(s.db, 'image'))
        expect(
          images.filter((im) => String(im['unreadable_reason'] ?? '').startsWith('unavailable')),
        ).toHaveLength(0)
      } finally {
        await orthanc.start()
      }
      const resumed = cli(['thumbnails', '--dataset', 'PACS', '--cache', join(dir, 'cold')])
      expect(resumed.json()).toMatchObject({ images: 9, made: 8, unavailable: [] })
    })

    it('[D6] [L19] report thumbnails are fetched from the DICOMweb server, nothing outside it', async () => {
      const film = FILMS[0]!
      const path = `studies/${film.study}/series/${film.series}/instances/${film.sop}`
      const saved = { ...process.env }
      Object.assign(process.env, orthanc.env) // the report reads credentials as the CLI does
      try {
        const uri = await thumbnailDataUri(path, [orthanc.dicomweb])
        expect(uri).toMatch(/^data:image\/jpeg;base64,/)
        const meta = await sharp(Buffer.from(uri!.split(',')[1]!, 'base64')).metadata()
        expect(Math.max(meta.width ?? 0, meta.height ?? 0)).toBe(THUMBNAIL_SIZE)
        expect(await thumbnailDataUri('../../etc/passwd', [orthanc.dicomweb])).toBeNull()
        expect(await thumbnailDataUri(`${path}.9`, [orthanc.dicomweb])).toBeNull()
      } finally {
        for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k]
      }
    })

    it('[D7] import labels matches a SOPInstanceUID column against the items', () => {
      const csv = join(dir, 'labels.csv')
      writeFileSync(
        csv,
        `SOPInstanceUID,Pneumothorax,Effusion\n${FILMS[0]!.sop},YES,NO\n${FILMS[2]!.sop},NO,YES\n9.9.9,YES,YES\n`,
      )
      const r = cli(['import', 'labels', '--file', csv, '--reader', 'vendor', '--dataset', 'PACS'])
      expect(r.code, r.stderr).toBe(0)
      expect(r.json()).toMatchObject({
        images: 2,
        verdicts: 4,
        unknownImages: 1,
        unknownImageNames: ['9.9.9'],
      })
    })

    it('[D1] a server stopped mid-import fails the import, changes nothing, and the next run succeeds', async () => {
      let stopped = false
      const proxy = await startProxy(orthanc.rest, async (n) => {
        // the studies page and two series searches pass; then the archive goes down
        if (n === 4 && !stopped) {
          stopped = true
          await orthanc.stop()
        }
      })
      const own = await tempDatabase(kind, dir, 'proxy.sqlite')
      const run = () =>
        runCliAsync(
          [
            'import',
            'dicomweb',
            '--url',
            `${proxy.url}/dicom-web`,
            '--name',
            'Via proxy',
            '--db',
            own,
            '--json',
          ],
          { env: orthanc.env },
        )
      try {
        const r = await run()
        expect(r.code, r.stderr).toBe(1)
        expect(r.stderr, r.stderr).toMatch(/the server did not answer/)
        expect((r.json() as { error: { kind: string } }).error.kind).toBe('dicomweb-unavailable')
        expect(
          await inStore(
            async (s) => [await countRows(s.db, 'dataset'), await countRows(s.db, 'image')],
            own,
          ),
        ).toEqual([0, 0])
        await orthanc.start()
        const again = await run()
        expect(again.code, again.stderr).toBe(0)
        expect(again.json()).toMatchObject({ images: 9, inserted: 9 })
      } finally {
        await orthanc.start().catch(() => undefined)
        await proxy.close()
      }
    })

    it('[D6] an instance deleted from the archive (404) is not-found for that image only', async () => {
      await orthanc.remove(FILMS[4]!.sop)
      const r = cli(['thumbnails', '--dataset', 'PACS', '--cache', join(dir, 'after-delete')])
      expect(r.code, r.stderr).toBe(0)
      const out = r.json() as ThumbsJson
      expect(out.made).toBe(7)
      expect(out.unreadable).toEqual(
        expect.arrayContaining([
          { image: FILMS[4]!.sop, reason: expect.stringMatching(/^not-found: .*404/) },
        ]),
      )
    })
  },
)
