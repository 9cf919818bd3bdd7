import { describe, expect, it } from 'vitest'
import { Cxr14MetadataParser } from './metadata.ts'
import { createRng } from '../random.ts'
import { InputFormatError, type ImageRecord } from '../records.ts'

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

describe('ChestX-ray14 metadata, rows like their neighbours', () => {
  /** Rows that repeat and vary their neighbours' cells: spaces, case, quotes, blanks, bad values. */
  function awkwardRows(count: number): string[] {
    const rng = createRng(52)
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng.next() * xs.length)]!
    const patients = ['12', '12', ' 12', '12 ', '7', '"7"', '', '0012']
    const ages = ['58', '58', '058Y', ' 58', '', ' ', '5.5', 'x', '12M', '58 ', '"58"']
    const sexes = ['M', 'M', 'F', ' M', 'm', 'O', '', ' f ', 'Q', '"F"', 'U']
    const views = ['PA', 'AP', ' pa', 'LATERAL', '', ' AP ', 'll', '"PA"']
    const labels = [
      'No Finding',
      'No Finding',
      ' No Finding ',
      'Effusion|Mass',
      'Mass|Effusion',
      'Effusion | Mass',
      '',
      'Infiltrate|Fracture',
      '"Effusion|Mass"',
      'Effusion||Mass',
    ]
    const numbers = ['2500', '2500', ' 2500', '', '0.14300000000000002', '0.143', 'x', '1e3', '-0']
    const rows: string[] = []
    for (let i = 0; i < count; i++) {
      const row = [
        `${String(i).padStart(8, '0')}_000.png`,
        pick(labels),
        pick(numbers),
        pick(patients),
        pick(ages),
        pick(sexes),
        pick(views),
        pick(numbers),
        pick(numbers),
        pick(numbers),
        pick(numbers),
      ]
      // now and then a row too short, or a repeat of the row before
      if (rng.next() < 0.02) row.pop()
      rows.push(rng.next() < 0.1 && rows.length > 0 ? rows[rows.length - 1]! : row.join(','))
    }
    return rows
  }

  it('[X2] reads each row as a parser that saw no other row reads it, into records or onRow', () => {
    const rows = awkwardRows(3000)
    const text = `${HEADER_2020}\n${rows.join('\n')}\n`
    const whole = parse(text, 4096)
    const seen: ImageRecord[] = []
    const streamed = new Cxr14MetadataParser('Data_Entry.csv', (r) => seen.push({ ...r }))
    streamed.push(text)
    const ended = streamed.end()
    expect(ended.records).toEqual([])
    expect(seen).toEqual(whole.records)
    expect(ended.errors).toEqual(whole.errors)
    // one parser per row: nothing carried over from a neighbour
    const alone = rows.map((row, i) => {
      const { records, errors } = parse(`${HEADER_2020}\n${'\n'.repeat(i)}${row}\n`, 4096)
      return { records, errors }
    })
    expect(whole.records).toEqual(alone.flatMap((a) => a.records))
    expect(whole.errors).toEqual(alone.flatMap((a) => a.errors))
    expect(whole.records.length).toBeGreaterThan(500)
    expect(whole.errors.length).toBeGreaterThan(500)
  })
})
