import { describe, expect, it } from 'vitest'
import { Cxr14MetadataParser } from './metadata.ts'
import { InputFormatError } from '../records.ts'

const HEADER_2020 =
  'Image Index,Finding Labels,Follow-up #,Patient ID,Patient Age,Patient Gender,View Position,OriginalImage[Width,Height],OriginalImagePixelSpacing[x,y]'

function parse(text: string, chunk = 7) {
  const p = new Cxr14MetadataParser('Data_Entry.csv')
  for (let i = 0; i < text.length; i += chunk) p.push(text.slice(i, i + chunk))
  return p.end()
}

describe('ChestX-ray14 metadata', () => {
  it('[X1] reads the 2020 header, whose brackets split into two columns', () => {
    const { records, errors } = parse(
      `${HEADER_2020}\n00000001_001.png,Cardiomegaly|Emphysema,1,1,58,M,PA,2894,2729,0.143,0.143\n`,
    )
    expect(errors).toEqual([])
    expect(records[0]).toMatchObject({
      name: '00000001_001.png',
      patient: '1',
      age: 58,
      sex: 'M',
      view: 'PA',
      followUp: 1,
      width: 2894,
      height: 2729,
      spacingX: 0.143,
      spacingY: 0.143,
      rawLabels: ['Cardiomegaly', 'Emphysema'],
      line: 2,
    })
    expect([...records[0]!.labels]).toEqual([
      ['Cardiomegaly', 1],
      ['Emphysema', 1],
    ])
  })

  it('[X1] accepts the 2017 release: trailing empty column and DICOM age strings', () => {
    const { records, errors } = parse(
      `${HEADER_2020},\r\n00000001_000.png,No Finding,0,1,058Y,F,AP,2682,2749,0.143,0.143,\r\n`,
    )
    expect(errors).toEqual([])
    expect(records[0]).toMatchObject({ age: 58, sex: 'F', view: 'AP', rawLabels: ['No Finding'] })
    // `No Finding` is a finding of its own (#11) [X6]
    expect([...records[0]!.labels]).toEqual([['No Finding', 1]])
  })

  it('[X2] reports wrong field counts, non-numeric ages and unknown genders with line and column', () => {
    const { records, errors } = parse(
      [
        HEADER_2020,
        'a.png,Effusion,0,1,58,M,PA,1,1,0.1,0.1',
        'b.png,Effusion,0,1,58,M,PA,1,1,0.1',
        'c.png,Effusion,0,1,fifty,M,PA,1,1,0.1,0.1',
        'd.png,Effusion,0,1,58,Q,PA,1,1,0.1,0.1',
        'e.png,Effusion,x,1,58,M,PA,1,1,0.1,0.1',
        '',
      ].join('\n'),
    )
    expect(records.map((r) => r.name)).toEqual(['a.png'])
    expect(errors).toEqual([
      { file: 'Data_Entry.csv', line: 3, column: null, message: 'expected 11 fields, found 10' },
      {
        file: 'Data_Entry.csv',
        line: 4,
        column: 'Patient Age',
        message: 'age "fifty" is not a number',
      },
      {
        file: 'Data_Entry.csv',
        line: 5,
        column: 'Patient Gender',
        message: 'unknown gender "Q" (expected M, F or O)',
      },
      { file: 'Data_Entry.csv', line: 6, column: 'Follow-up #', message: '"x" is not a number' },
    ])
  })

  it('[X3] refuses an empty file, a header without rows and a bounding-box list', () => {
    expect(() => parse('')).toThrow(InputFormatError)
    expect(() => parse('')).toThrow('Data_Entry.csv: the file is empty')
    expect(() => parse(`${HEADER_2020}\n`)).toThrow('has a header but no rows')
    expect(() =>
      parse('Image Index,Finding Label,Bbox [x,y,w,h],,,\na.png,Mass,1,2,3,4,,,\n'),
    ).toThrow(/bounding-box list.*--bbox/)
    expect(() => parse('id,label\n1,2\n')).toThrow(
      /lacks "Image Index", "Finding Labels", "Patient ID"/,
    )
  })

  it('[X4] keeps label names that match no finding, and resolves the others', () => {
    const { records } = parse(
      `${HEADER_2020}\na.png,Infiltrate|Pleural Thickening|Fracture,0,1,58,M,PA,1,1,0.1,0.1\n`,
    )
    expect([...records[0]!.labels.keys()]).toEqual(['Infiltration', 'Pleural_Thickening'])
    expect(records[0]!.rawLabels).toEqual(['Infiltrate', 'Pleural Thickening', 'Fracture'])
  })
})
