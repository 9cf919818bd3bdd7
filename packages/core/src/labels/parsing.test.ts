import { describe, expect, it } from 'vitest'
import { CXR14_FINDINGS } from '../findings.ts'
import { InputFormatError } from '../records.ts'
import { parseColumnMap, parseLabelTable } from './label-table.ts'
import { parseVerdict } from './verdict-values.ts'

const FINDINGS = [...CXR14_FINDINGS, 'Opacity', 'Nodule/Mass']
const parse = (text: string, o: Partial<Parameters<typeof parseLabelTable>[1]> = {}) =>
  parseLabelTable(text, { file: 'f.csv', findings: FINDINGS, ...o })

describe('verdict values', () => {
  it('[L2] reads YES/NO/HEDGE, 1/0/-1, true/false and present/absent/uncertain in any case', () => {
    const cases: [string, string | null | undefined][] = [
      ['YES', 'present'],
      ['no', 'absent'],
      [' Hedge ', 'uncertain'],
      ['1', 'present'],
      ['0', 'absent'],
      ['-1', 'uncertain'],
      ['1.0', 'present'],
      ['-1.0', 'uncertain'],
      ['TRUE', 'present'],
      ['false', 'absent'],
      ['Present', 'present'],
      ['ABSENT', 'absent'],
      ['uncertain', 'uncertain'],
      ['', null],
      ['  ', null],
      ['maybe', undefined],
      ['2', undefined],
      ['0.5', undefined],
      ['yes please', undefined],
    ]
    for (const [raw, want] of cases) expect(parseVerdict(raw), raw).toBe(want)
  })
})

describe('parseColumnMap', () => {
  it("[L1] splits 'Source column=Finding' at the last =", () => {
    expect(parseColumnMap('Nodule or mass=Nodule/Mass')).toEqual({
      column: 'Nodule or mass',
      finding: 'Nodule/Mass',
    })
    expect(parseColumnMap('a=b=c')).toEqual({ column: 'a=b', finding: 'c' })
    expect(parseColumnMap('nothing')).toBeUndefined()
    expect(parseColumnMap('=x')).toBeUndefined()
  })

  it("[L22] 'Column=not:Finding' negates the column: YES is absent, NO present, HEDGE uncertain", () => {
    expect(parseColumnMap('Abnormal=not:No Finding')).toEqual({
      column: 'Abnormal',
      finding: 'No Finding',
      negated: true,
    })
    expect(parseColumnMap('Abnormal= NOT : No Finding')).toMatchObject({ negated: true })
    expect(parseColumnMap('Abnormal=not:')).toBeUndefined()
    const map = [parseColumnMap('Abnormal=not:No Finding')!]
    const table = parseLabelTable(
      'Image Index,Abnormal\na.png,YES\nb.png,NO\nc.png,HEDGE\nd.png,\n',
      { file: 'g.csv', findings: [...CXR14_FINDINGS, 'No Finding'], map },
    )
    expect(table.mapped).toEqual({ Abnormal: 'not:No Finding' })
    expect(table.reads.map((r) => [r.image, r.finding, r.verdict])).toEqual([
      ['a.png', 'No Finding', 'absent'],
      ['b.png', 'No Finding', 'present'],
      ['c.png', 'No Finding', 'uncertain'],
    ])
    // a long file names each finding: negation there is refused, not guessed
    expect(() =>
      parseLabelTable('Image Index,Finding,Verdict\na.png,Abnormal,YES\n', {
        file: 'l.csv',
        findings: [...CXR14_FINDINGS, 'No Finding'],
        map,
      }),
    ).toThrow(InputFormatError)
  })
})

describe('parseLabelTable (wide)', () => {
  it('[L1] finds the id column and maps findings by name and alias, listing the rest', () => {
    const t = parse(
      'Image Index,Pneumothorax,Airspace opacity,Nodule or mass,Fracture,Patient Age\r\n' +
        'a.png,YES,NO,HEDGE,NO,50\r\n' +
        'b.png,no,,yes,YES,60\r\n',
    )
    expect(t.format).toBe('wide')
    expect(t.idColumn).toBe('Image Index')
    expect(t.mapped).toEqual({
      Pneumothorax: 'Pneumothorax',
      'Airspace opacity': 'Opacity',
      'Nodule or mass': 'Nodule/Mass',
    })
    expect(t.ignoredColumns).toEqual(['Fracture', 'Patient Age'])
    expect(t.unmatchedColumns).toEqual(['Fracture'])
    expect(t.reads.map((r) => [r.image, r.finding, r.verdict, r.line])).toEqual([
      ['a.png', 'Pneumothorax', 'present', 2],
      ['a.png', 'Opacity', 'absent', 2],
      ['a.png', 'Nodule/Mass', 'uncertain', 2],
      ['b.png', 'Pneumothorax', 'absent', 3],
      ['b.png', 'Nodule/Mass', 'present', 3],
    ])
    expect(t.errors).toEqual([])
  })

  it('[L1] a value that is not a verdict is a row error with line and column', () => {
    const t = parse('Image ID,Pneumothorax\na.png,YES\nb.png,probably\n')
    expect(t.errors).toEqual([
      {
        file: 'f.csv',
        line: 3,
        column: 'Pneumothorax',
        message: expect.stringContaining('"probably" is not a verdict') as string,
      },
    ])
  })

  it('[L1] no id column is refused, naming the columns found', () => {
    expect(() => parse('Name,Pneumothorax\na,YES\n')).toThrow(InputFormatError)
    expect(() => parse('Name,Pneumothorax\na,YES\n')).toThrow(/Image Index.*"Name"/)
    expect(parse('Name,Pneumothorax\na,YES\n', { idColumn: 'name' }).reads).toHaveLength(1)
    expect(() => parse('Name,Pneumothorax\n', { idColumn: 'Image' })).toThrow(/no column "Image"/)
    expect(() => parse('')).toThrow(/empty/)
  })

  it('[L1] --map names a column the names do not match, and wins over a name match', () => {
    const t = parse('Image Index,PTX,Pneumothorax\na,YES,NO\n', {
      map: [{ column: 'PTX', finding: 'pneumothorax' }],
    })
    expect(t.mapped).toEqual({ PTX: 'Pneumothorax' })
    expect(t.ignoredColumns).toEqual(['Pneumothorax'])
    expect(t.reads[0]!.verdict).toBe('present')
    expect(() =>
      parse('Image Index,PTX\n', { map: [{ column: 'PTX', finding: 'Fracture' }] }),
    ).toThrow(/no finding "Fracture"/)
    expect(() => parse('Image Index,PTX\n', { map: [{ column: 'X', finding: 'Mass' }] })).toThrow(
      /no column "X"/,
    )
  })

  it('[L1] two columns matching one finding must be told apart with --map', () => {
    expect(() => parse('Image Index,Nodule/mass,Nodule or mass\n')).toThrow(/both match.*--map/)
  })

  it('[L1] with a reader column each row carries its reader; an empty reader is an error', () => {
    const t = parse('Image ID,Reader ID,Pneumothorax\na,1,YES\na,2,NO\nb,,YES\n', {
      readerColumn: 'Reader ID',
    })
    expect(t.reads.map((r) => [r.image, r.reader, r.verdict])).toEqual([
      ['a', '1', 'present'],
      ['a', '2', 'absent'],
    ])
    expect(t.errors.map((e) => [e.line, e.column])).toEqual([[4, 'Reader ID']])
    expect(() => parse('Image ID,Pneumothorax\n', { readerColumn: 'Reader' })).toThrow(
      /reader column/,
    )
  })

  it('[L1] the same image twice: agreeing rows are one verdict, disagreeing rows an error', () => {
    const t = parse('Image ID,Pneumothorax\na,YES\na,yes\nb,NO\nb,YES\n')
    expect(t.reads).toHaveLength(2)
    expect(t.errors.map((e) => e.line)).toEqual([5])
    expect(t.errors[0]!.message).toMatch(/absent on line 4/)
  })

  it('[L1] a row of the wrong width is an error; blank lines and a BOM are ignored', () => {
    const t = parse('\ufeffImage ID,Pneumothorax\n\na,YES,extra\n,\nb,NO\n')
    expect(t.rows).toBe(2)
    expect(t.errors.map((e) => e.line)).toEqual([3])
    expect(t.reads.map((r) => r.image)).toEqual(['b'])
  })
})

describe('parseLabelTable (long)', () => {
  it('[L16] a Finding and a Verdict column make a long file: finding values map, tags and time come along', () => {
    const t = parse(
      'Image Index,Finding,Reader,Verdict,Label,Tags,Time\n' +
        'a,Pneumothorax,r,present,1,chest drain|rotated,2024-01-02T03:04:05.000Z\n' +
        'a,Airspace opacity,r,absent,0,chest drain|rotated,2024-01-02T03:04:05.000Z\n' +
        'b,Fracture,r,present,0,,not a time\n',
    )
    expect(t.format).toBe('long')
    expect(t.mapped).toEqual({ Pneumothorax: 'Pneumothorax', 'Airspace opacity': 'Opacity' })
    expect(t.unmatchedColumns).toEqual(['Fracture'])
    expect(t.ignoredColumns).toEqual(['Label'])
    expect(t.reads.map((r) => [r.image, r.finding, r.verdict, r.time, r.reader])).toEqual([
      ['a', 'Pneumothorax', 'present', '2024-01-02T03:04:05.000Z', null],
      ['a', 'Opacity', 'absent', '2024-01-02T03:04:05.000Z', null],
    ])
    expect(t.tags).toEqual([{ image: 'a', reader: null, tags: ['chest drain', 'rotated'] }])
  })

  it('[L16] several readers in a long file need --reader-column', () => {
    const text = 'Image Index,Finding,Reader,Verdict\na,Mass,x,present\na,Mass,y,absent\n'
    expect(() => parse(text)).toThrow(/2 readers.*--reader-column Reader/)
    expect(parse(text, { readerColumn: 'Reader' }).reads).toHaveLength(2)
  })
})
