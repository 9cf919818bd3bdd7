import { describe, expect, it } from 'vitest'
import { InputFormatError } from '../records.ts'
import { ChexpertParser, chexpertKey, chexpertValue } from './chexpert.ts'
import {
  BUILT_IN_SAME_FINDINGS,
  parseQualifiedFinding,
  sameFindingsBetween,
} from './same-findings.ts'

const HEAD =
  'Path,Sex,Age,Frontal/Lateral,AP/PA,No Finding,Enlarged Cardiomediastinum,Cardiomegaly,Lung Opacity,Lung Lesion,Edema,Consolidation,Pneumonia,Atelectasis,Pneumothorax,Pleural Effusion,Pleural Other,Fracture,Support Devices'

const parse = (text: string, file = 'f.csv') => {
  const p = new ChexpertParser(file)
  p.push(text)
  return p.end()
}

describe('CheXpert paths and cells', () => {
  it('[DS1] a path with any prefix names the film below the patient folder; a study id the study', () => {
    for (const prefix of ['CheXpert-v1.0-small/train/', 'CheXpert-v1.0/train/', '/data/x/train/'])
      expect(chexpertKey(`${prefix}patient00001/study1/view1_frontal.jpg`)).toEqual({
        name: 'patient00001/study1/view1_frontal.jpg',
        patient: 'patient00001',
        study: 'patient00001/study1',
        split: 'train',
        kind: 'film',
      })
    expect(chexpertKey('CheXpert-v1.0/test/patient64741/study1')).toEqual({
      name: 'patient64741/study1',
      patient: 'patient64741',
      study: 'patient64741/study1',
      split: 'test',
      kind: 'study',
    })
    expect(chexpertKey('patient1/study2/')?.kind).toBe('study')
    expect(chexpertKey('view1_frontal.jpg')).toBeUndefined()
  })

  it('[DS1] the quick film path agrees with the pattern on every shape of path', () => {
    // a leading blank sends a path to the pattern (which trims): both must say the same
    const paths = [
      'CheXpert-v1.0-small/train/patient00001/study1/view1_frontal.jpg',
      'CheXpert-v1.0/valid/patient64541/study1/view1_frontal.jpg',
      'test/patient1/study2/v.jpg',
      'patient1/study2/v.jpg',
      '/patient1/study2/v.jpg',
      'x/training/patient1/study2/v.jpg',
      'x//patient1/study2/v.jpg',
      'train//patient1/study2/v.jpg',
      'patient1/study2/study3',
      'a/patient1/study2/patient3/study4/v.jpg',
      'a/patient1/study2/sub/v.jpg',
      'a/patientX/study2/v.jpg',
      'a/patient/study2/v.jpg',
      'a/patient1/study/v.jpg',
      'a/patient1/study2/v.jpg/',
      'a\\patient1\\study2\\v.jpg',
      'a/patient1/study2/v 1.jpg',
      'patient1/study2',
      '/study2/v.jpg',
      'v.jpg',
      'a/patient1/study2/v.jpg\u00a0',
    ]
    for (const p of paths) expect(chexpertKey(p), p).toEqual(chexpertKey(` ${p}`))
    expect(chexpertKey('x/training/patient1/study2/v.jpg')?.split).toBeNull()
  })

  it('[DS2] cells keep what the format says: 1.0, 0.0, -1.0, blank; test-set 1/0', () => {
    expect(['1.0', '0.0', '-1.0', '', '1', '0', '-1', ' 1.0 '].map(chexpertValue)).toEqual([
      1,
      0,
      -1,
      null,
      1,
      0,
      -1,
      1,
    ])
    expect(chexpertValue('2.0')).toBeUndefined()
    expect(chexpertValue('yes')).toBeUndefined()
  })
})

describe('ChexpertParser', () => {
  it('[DS1] reads a film-keyed file: patient, study, split, view (LL, RL, laterals), sex, labels', () => {
    const t = parse(
      `${HEAD}\n` +
        'CheXpert-v1.0-small/train/patient00001/study1/view1_frontal.jpg,Female,68,Frontal,AP,1.0,,,,,,,,,0.0,,,,1.0\n' +
        'CheXpert-v1.0-small/train/patient00002/study2/view2_lateral.jpg,Unknown,87,Lateral,,,,-1.0,1.0,,,,,,,,,,\n' +
        'CheXpert-v1.0-small/train/patient00003/study1/view1_frontal.jpg,Male,,Lateral,LL,,,,,,,,,,,,,,\n',
    )
    expect(t.kind).toBe('film')
    expect(t.errors).toEqual([])
    expect(t.findings).toHaveLength(14)
    const [a, b, c] = t.records
    expect(a).toMatchObject({
      name: 'patient00001/study1/view1_frontal.jpg',
      patient: 'patient00001',
      study: 'patient00001/study1',
      split: 'train',
      sex: 'F',
      age: 68,
      view: 'AP',
      rawLabels: ['No Finding', 'Support Devices'],
      line: 2,
    })
    expect([...a!.labels]).toEqual([
      ['No Finding', 1],
      ['Pneumothorax', 0],
      ['Support Devices', 1],
    ])
    expect(b).toMatchObject({ sex: 'Unknown', view: 'LATERAL' })
    expect([...b!.labels]).toEqual([
      ['Cardiomegaly', -1],
      ['Lung Opacity', 1],
    ])
    expect(c).toMatchObject({ age: null, view: 'LL', sex: 'M' })
    expect(c!.labels.size).toBe(0)
  })

  it('[DS1] matches observation columns by name, in any order; unknown columns are listed', () => {
    const t = parse(
      'Study,Lung Lesion,Lung Opacity,Extra\nCheXpert-v1.0/test/patient64741/study1,0,1,x\n',
    )
    expect(t.kind).toBe('study')
    expect(t.findings).toEqual(['Lung Lesion', 'Lung Opacity'])
    expect(t.ignoredColumns).toEqual(['Extra'])
    expect([...t.records[0]!.labels]).toEqual([
      ['Lung Lesion', 0],
      ['Lung Opacity', 1],
    ])
    expect(t.records[0]).toMatchObject({ name: 'patient64741/study1', split: 'test' })
  })

  it('[DS6] a bad cell, a path that is no CheXpert path and a short row are errors with line and column', () => {
    const t = parse(
      `${HEAD}\n` +
        'CheXpert-v1.0-small/train/patient00001/study1/view1_frontal.jpg,Female,68,Frontal,AP,2.0,,,,,,,,,0.0,,,,1.0\n' +
        'somewhere/view1_frontal.jpg,Female,68,Frontal,AP,,,,,,,,,,,,,,\n' +
        'CheXpert-v1.0-small/train/patient00001/study1,Female,68,Frontal,AP,,,,,,,,,,,,,,\n' +
        'CheXpert-v1.0-small/train/patient00004/study1/view1_frontal.jpg,Female,old,Frontal,AP,,,,,,,,,,,,,,\n' +
        'CheXpert-v1.0-small/train/patient00005/study1/view1_frontal.jpg,Female\n',
    )
    expect(t.records).toEqual([])
    expect(t.errors.map((e) => [e.line, e.column])).toEqual([
      [2, 'No Finding'],
      [3, 'Path'],
      [4, 'Path'],
      [5, 'Age'],
      [6, null],
    ])
    expect(t.errors[0]!.message).toContain('"2.0" is not a label')
    expect(t.errors[0]!.file).toBe('f.csv')
  })

  it('[DS6] a repeated item keeps its first row and is listed', () => {
    const row =
      'CheXpert-v1.0-small/valid/patient64541/study1/view1_frontal.jpg,Male,73,Frontal,AP,0.0,1.0,1.0,1.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0\n'
    const t = parse(`${HEAD}\n${row}${row.replace('CheXpert-v1.0-small', 'other')}`)
    expect(t.records).toHaveLength(1)
    expect(t.duplicates).toEqual(['patient64541/study1/view1_frontal.jpg (line 3)'])
  })

  it('[DS1] refuses a file without a Path or Study column, or without observations', () => {
    expect(() => parse('Image Index,Finding Labels\na.png,Mass\n')).toThrow(InputFormatError)
    expect(() => parse('Path,Sex\nx/patient1/study1/v.jpg,Male\n')).toThrow(
      /no CheXpert observation/,
    )
    expect(() => parse('')).toThrow(/empty/)
  })
})

describe('findings declared the same', () => {
  it('[DS5] parses Dataset:Finding at the first colon', () => {
    expect(parseQualifiedFinding('CheXpert:Pleural Effusion')).toEqual({
      dataset: 'CheXpert',
      finding: 'Pleural Effusion',
    })
    expect(parseQualifiedFinding('ChestX-ray14:Nodule/Mass')?.finding).toBe('Nodule/Mass')
    expect(parseQualifiedFinding('Effusion')).toBeUndefined()
    expect(parseQualifiedFinding(':Effusion')).toBeUndefined()
  })

  it('[DS5] the built-in table maps CXR14 Effusion to CheXpert Pleural Effusion, through MIMIC too', () => {
    const cxr14 = { dataset: 'ChestX-ray14', findings: ['Effusion', 'Hernia', 'Cardiomegaly'] }
    const chexpert = { dataset: 'CheXpert', findings: ['Pleural Effusion', 'Cardiomegaly'] }
    expect(sameFindingsBetween(BUILT_IN_SAME_FINDINGS, cxr14, chexpert)).toEqual(
      new Map([
        ['Effusion', 'Pleural Effusion'],
        ['Cardiomegaly', 'Cardiomegaly'],
      ]),
    )
    // MIMIC-CXR = CheXpert = ChestX-ray14: declared through CheXpert only
    const mimic = { dataset: 'MIMIC-CXR', findings: ['Pleural Effusion'] }
    expect(sameFindingsBetween(BUILT_IN_SAME_FINDINGS, mimic, cxr14)).toEqual(
      new Map([['Pleural Effusion', 'Effusion']]),
    )
  })

  it('[DS5] a declared pair of a private dataset is followed like a built-in one', () => {
    const pairs = [
      ...BUILT_IN_SAME_FINDINGS,
      {
        a: { dataset: 'Hospital', finding: 'PE fluid' },
        b: { dataset: 'ChestX-ray14', finding: 'Effusion' },
        source: 'declared' as const,
      },
    ]
    expect(
      sameFindingsBetween(
        pairs,
        { dataset: 'Hospital', findings: ['PE fluid'] },
        { dataset: 'CheXpert', findings: ['Pleural Effusion'] },
      ),
    ).toEqual(new Map([['PE fluid', 'Pleural Effusion']]))
  })
})
