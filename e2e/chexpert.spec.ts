import { importChexpert, importPredictions } from '@cxr-audit/ingest'
import { openStore } from '@cxr-audit/store'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import sharp from 'sharp'
import type { AuditDto, ResultsDto } from '@cxr-audit/contract'
import { DIALECTS, tempDatabase } from '../test-support/temp-store.ts'
import { sharedData } from '../test-support/shared-data.ts'
import { AppPages } from './pages/app-pages.ts'
import { SheetPageObject } from './pages/sheet-page.ts'
import { ModelsPageObject, ResultsPageObject } from './pages/stats-pages.ts'
import { Workbench, launchChromium, newContext } from './support/workbench.ts'

// A CheXpert dataset driven in the browser [DS25]: the valid set as released (234 films, 0/1)
// and the head of the train file (CheXpert labeler: uncertain -1.0 and blank cells), real JPEGs
// at CheXpert's paths for the films on disk, a model scored with CheXpert's column names.
const TRAIN_ROWS = 120
const ON_DISK = 40
const FINDING = 'Pleural Effusion'

interface Film {
  path: string
  cells: Record<string, string>
}

function rowsOf(text: string): { header: string[]; films: Film[] } {
  const [head, ...lines] = text.trim().split('\n')
  const header = head!.split(',')
  return {
    header,
    films: lines.map((l) => {
      const f = l.split(',')
      return { path: f[0]!, cells: Object.fromEntries(header.map((h, i) => [h, f[i] ?? ''])) }
    }),
  }
}

let dir: string
let wb: Workbench
let browser: Browser
let page: Page
let datasetId: number
let uncertainOnDisk: number
let studiesId: number

describe.each(DIALECTS)('%s', (kind) => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cxr-e2e-chexpert-'))
    const valid = await readFile(sharedData('chexpert/valid.csv'), 'utf8')
    const trainText = gunzipSync(await readFile(sharedData('chexpert/chexpert_train.csv.gz')))
      .toString('utf8')
      .split('\n')
      .slice(0, TRAIN_ROWS + 1)
      .join('\n')
    const train = join(dir, 'train-head.csv')
    await writeFile(train, trainText + '\n')
    const v = rowsOf(valid)
    const t = rowsOf(trainText)
    const onDisk = [...v.films.slice(0, ON_DISK / 2), ...t.films.slice(0, ON_DISK / 2)]
    uncertainOnDisk = onDisk.filter((f) => f.cells[FINDING] === '-1.0').length
    const pngs = (await readdir(sharedData('cxr14/images'))).sort()
    for (const [i, f] of onDisk.entries()) {
      const file = join(dir, 'images', f.path.replace(/^CheXpert-v1\.0-small\//, ''))
      await mkdir(dirname(file), { recursive: true })
      await sharp(join(sharedData('cxr14/images'), pngs[i]!))
        .resize(256, 256)
        .jpeg()
        .toFile(file)
    }
    // scores that follow the label, with a spread, keyed by path with CheXpert's own names
    const preds = ['Path,Pleural Effusion,Cardiomegaly']
    for (const [i, f] of [...v.films, ...t.films].entries()) {
      const e = f.cells[FINDING] === '1.0' ? 0.35 : 0.1
      const c = f.cells['Cardiomegaly'] === '1.0' ? 0.5 : 0.2
      preds.push(`${f.path},${(e + (i % 9) / 20).toFixed(3)},${(c + (i % 5) / 10).toFixed(3)}`)
    }
    const predsFile = join(dir, 'preds.csv')
    await writeFile(predsFile, preds.join('\n') + '\n')

    const db = await tempDatabase(kind, dir, 'chexpert.sqlite')
    const store = await openStore(db)
    const imported = await importChexpert(store, {
      files: [sharedData('chexpert/valid.csv'), train],
      images: [join(dir, 'images')],
    })
    datasetId = imported.datasetId
    await importPredictions(store, { file: predsFile, model: 'chexpert-model' })
    // the valid set keyed by study, as CheXpert's test files are: a study is positive when a
    // film of it is; a dataset of its own, with the same image folder
    const obs = v.header.slice(5)
    const studies = new Map<string, Record<string, number>>()
    for (const f of v.films) {
      const study = `CheXpert-v1.0/valid/${f.path.split('/').slice(2, 4).join('/')}`
      const had = studies.get(study) ?? {}
      for (const o of obs) had[o] = Math.max(had[o] ?? 0, Number(f.cells[o]))
      studies.set(study, had)
    }
    const studyFile = join(dir, 'valid-studies.csv')
    await writeFile(
      studyFile,
      [
        ['Study', ...obs].join(','),
        ...[...studies].map(([st, l]) => [st, ...obs.map((o) => l[o])].join(',')),
      ].join('\n') + '\n',
    )
    const byStudy = await importChexpert(store, {
      files: [studyFile],
      images: [join(dir, 'images')],
      name: 'CheXpert studies',
    })
    expect(byStudy).toMatchObject({ itemKind: 'study', studies: 200, imagesOnDisk: 16 })
    studiesId = byStudy.datasetId
    await store.close()
    wb = new Workbench(db, dir)
    ;[browser] = await Promise.all([launchChromium(), wb.start()])
    page = await (await newContext(browser)).newPage()
  })

  afterAll(async () => {
    await browser?.close()
    await wb?.stop()
    await rm(dir, { recursive: true, force: true })
  })

  describe('a CheXpert dataset in Chromium', () => {
    it('[DS26] a study-keyed dataset: the sheet shows each study with its films together, frontal first', async () => {
      const { audit } = (
        await wb.api<{ audit: AuditDto }>('POST', '/api/audits', {
          datasetId: studiesId,
          name: 'studies',
          findings: ['Cardiomegaly'],
          positives: 20,
          negatives: 20,
          seed: 1,
        })
      ).json
      // the 16 studies of the 20 films on disk
      expect(audit.items).toBe(16)
      const sheet = new SheetPageObject(page)
      await page.goto(`${wb.url}/#/audits/${audit.id}/sheet/${audit.findings[0]!.findingId}/0`)
      await new AppPages(page, wb.url).giveName('Dr CheXpert')
      await sheet.waitPainted(0)
      const study = page.locator('[data-testid="tile"][data-image="patient64547/study1"]')
      const films = study.locator('[data-testid="study-film"]')
      expect(await films.evaluateAll((els) => els.map((e) => e.getAttribute('data-view')))).toEqual(
        ['frontal', 'frontal', 'lateral'],
      )
      expect(await films.evaluateAll((els) => els.map((e) => e.getAttribute('alt')))).toEqual([
        'patient64547/study1/view1_frontal.jpg',
        'patient64547/study1/view2_frontal.jpg',
        'patient64547/study1/view3_lateral.jpg',
      ])
      // every film's thumbnail was served from the image folder and decoded
      expect(
        await films.evaluateAll((els) => els.map((e) => (e as HTMLImageElement).naturalWidth > 0)),
      ).toEqual([true, true, true])
      expect(await study.textContent()).toContain('3 films')
      const two = page.locator('[data-testid="tile"][data-image="patient64542/study1"]')
      expect(await two.locator('[data-testid="study-film"]').count()).toBe(2)
      // a study of one film is a tile of one picture
      const single = page.locator('[data-testid="tile"][data-image="patient64541/study1"]')
      expect(await single.locator('[data-testid="study-films"]').count()).toBe(0)
      expect(await single.locator('img').count()).toBe(1)
      const id = Number(await study.evaluate((e) => e.querySelector('img')!.src.split('/')[5]))
      expect((await wb.api('GET', `/api/images/${id}/films/3/thumbnail`)).status).toBe(404)
    })

    it('[DS25] the dataset page counts its films', async () => {
      await page.goto(`${wb.url}/#/datasets/${datasetId}`)
      await page.getByTestId('dataset-page').waitFor()
      const text = await page.getByTestId('dataset-page').textContent()
      expect(text).toContain('CheXpert')
      expect(text).toContain(String(234 + TRAIN_ROWS))
    })

    it('[DS25] the new-audit form lists CheXpert findings, with uncertain labels apart; the audit is drawn', async () => {
      await page.goto(`${wb.url}/#/audits/new/${datasetId}`)
      const option = page.getByTestId(`finding-${FINDING}`).locator('xpath=..')
      await option.waitFor()
      expect(uncertainOnDisk).toBeGreaterThan(0)
      expect(await option.getByTestId('uncertain-on-disk').textContent()).toContain(
        `${uncertainOnDisk} uncertain`,
      )
      const id = await new AppPages(page, wb.url).createAudit({
        name: 'CheXpert effusion',
        findings: [FINDING],
        positives: 4,
        negatives: 4,
        seed: 7,
      })
      const progress = page.locator(`[data-testid="finding-progress"][data-finding="${FINDING}"]`)
      await progress.waitFor()
      const { audits } = (await wb.api<{ audits: AuditDto[] }>('GET', '/api/audits')).json
      const audit = audits.find((a) => a.id === id)!
      expect(audit.items).toBe(8)
      // the sheet: verdicts on CheXpert films, then the results page
      const sheet = new SheetPageObject(page)
      // a fresh document: the study sheet before was painted in this one
      await sheet.open(`${wb.url}/#/audits/${id}/sheet/${audit.findings[0]!.findingId}/0`)
      expect(await sheet.count()).toBe(8)
      const labels = await page
        .locator('[data-testid="tile"] [data-testid="label"]')
        .allTextContents()
      expect(labels.filter((l) => l.startsWith('+'))).toHaveLength(4)
      expect(labels.every((l) => l.endsWith(FINDING))).toBe(true)
      await sheet.press('x')
      await sheet.expectVerdict(0, 'absent', 'red')
      await sheet.press('PageDown')
      await page.getByTestId('audit-done').waitFor()
      await sheet.waitSaved()
      const results = new ResultsPageObject(page, wb.url)
      await results.open(id)
      const api = (await wb.api<ResultsDto>('GET', `/api/audits/${id}/results`)).json
      const f = api.accuracy!.findings[0]!
      expect(f).toMatchObject({ finding: FINDING, labelledPositive: 4, absent: 1, present: 3 })
      expect(await results.ppv(FINDING).textContent()).toContain(`${(f.ppv! * 100).toFixed(1)}%`)
      // Wang et al.'s published precision is of the CXR14 labels: not drawn here
      await results.forestRow(FINDING).locator('circle.ppv').waitFor()
      expect(await results.forestRow(FINDING).locator('path.published').count()).toBe(0)
    })

    it('[DS22] [DS25] the models page: AUCs of CheXpert findings, no CXR14 published column', async () => {
      const models = new ModelsPageObject(page, wb.url)
      await models.open()
      expect(await models.aucRow(FINDING).textContent()).toMatch(
        /0\.\d{3} \(0\.\d{3}–[01]\.\d{3}\)/,
      )
      expect(await models.aucRow('Cardiomegaly').count()).toBe(1)
      expect(await page.getByTestId('auc-table').textContent()).not.toContain('published AUC')
      expect(await page.getByTestId('auc-table').textContent()).not.toContain('CheXNet')
    })
  })
})
