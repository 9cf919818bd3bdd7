import { describe, expect, it } from 'vitest'
import { itemKeyOf } from './item-keys.ts'
import { mimicFilmName, mimicKey, parseMimicSplit } from './mimic.ts'
import { parseVindr } from './vindr.ts'
import { parseWideTable } from './wide-table.ts'

describe('MIMIC-CXR-JPG keys [DS8]', () => {
  const film = 'p10/p10000032/s50414267/02aa804e-bde0afdd-112c0b34-7bc16630-4e384014.jpg'

  it('[DS8] a film path with any prefix, or its DICOM, names the same film', () => {
    expect(
      mimicFilmName('10000032', '50414267', '02aa804e-bde0afdd-112c0b34-7bc16630-4e384014'),
    ).toBe(film)
    for (const p of [
      film,
      `files/${film}`,
      `/data/mimic-cxr-jpg/2.0.0/files/${film}`,
      `files/${film.replace('.jpg', '.dcm')}`,
    ])
      expect(mimicKey(p)).toEqual({
        name: film,
        patient: '10000032',
        study: '50414267',
        kind: 'film',
      })
    expect(mimicKey('files/p10/p10000032/s50414267')).toMatchObject({
      kind: 'study',
      study: '50414267',
    })
    expect(mimicKey('patient00001/study1/view1_frontal.jpg')).toBeUndefined()
  })

  it('[DS3] reader and prediction ids: MIMIC paths and bare study_ids; CheXpert paths; else names', () => {
    expect(itemKeyOf('mimic')!(' 50414267 ')).toEqual({
      name: '50414267',
      study: '50414267',
      kind: 'study',
    })
    expect(itemKeyOf('mimic')!(`files/${film}`)?.name).toBe(film)
    expect(itemKeyOf('chexpert')!('CheXpert-v1.0/valid/patient1/study1')?.kind).toBe('study')
    expect(itemKeyOf('cxr14')).toBeNull()
  })

  it('[DS6] a film in two splits is an error; the same row again is a duplicate', () => {
    const t = parseMimicSplit(
      's.csv',
      'dicom_id,study_id,subject_id,split\na,1,2,train\na,1,2,train\na,1,2,test\nb,1,2,\n',
    )
    expect(t.rows).toEqual(new Map([['a', 'train']]))
    expect(t.duplicates).toEqual(['a (line 3)'])
    expect(t.errors.map((e) => [e.line, e.column])).toEqual([
      [4, 'split'],
      [5, 'split'],
    ])
  })
})

describe('VinDr-CXR [DS10]', () => {
  it('[DS10] classes in class_id order, each reader what they marked, boxes as x, y, w, h', () => {
    const t = parseVindr(
      'a.csv',
      'image_id,class_name,class_id,rad_id,x_min,y_min,x_max,y_max\n' +
        'f,Pleural effusion,10,R9,1,2,11,22\nf,Cardiomegaly,3,R9,5,5,6,7\nf,No finding,14,R10,,,,\n',
    )
    expect(t.findings).toEqual(['Cardiomegaly', 'Pleural effusion', 'No finding'])
    expect(t.films[0]!.reads).toEqual(
      new Map([
        ['R9', new Set(['Pleural effusion', 'Cardiomegaly'])],
        ['R10', new Set(['No finding'])],
      ]),
    )
    expect(t.boxes[0]).toMatchObject({ reader: 'R9', x: 1, y: 2, w: 10, h: 20 })
  })
})

describe('any table [DS11]', () => {
  it('[DS11] without --map, label columns are those whose cells are all labels', () => {
    const t = parseWideTable('id,Age,Effusion,Mass\na,50,1,\nb,61,0,YES\n', {
      file: 't.csv',
      idColumn: 'id',
      ageColumn: 'Age',
    })
    expect(t.findings).toEqual(['Effusion', 'Mass'])
    expect(t.records.map((r) => [r.name, r.age, [...r.labels]])).toEqual([
      ['a', 50, [['Effusion', 1]]],
      [
        'b',
        61,
        [
          ['Effusion', 0],
          ['Mass', 1],
        ],
      ],
    ])
    expect(() => parseWideTable('id,Note\na,hello\n', { file: 't.csv', idColumn: 'id' })).toThrow(
      /t\.csv: no label column/,
    )
  })
})
