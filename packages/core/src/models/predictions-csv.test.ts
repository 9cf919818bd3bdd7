import { describe, expect, it } from 'vitest'
import { CXR14_FINDINGS, DEFAULT_DERIVED } from '../findings.ts'
import { InputFormatError } from '../records.ts'
import { PredictionsCsvParser, parsePredictionsCsv } from './predictions-csv.ts'

const findings = [...CXR14_FINDINGS, ...DEFAULT_DERIVED.map((d) => d.name)]
const parse = (text: string, o: { idColumn?: string; prefix?: string } = {}) =>
  parsePredictionsCsv('p.csv', text, { findings, ...o })

describe('prediction CSV', () => {
  it('[M1] reads the id column and prob_<Finding> columns, in the file order', () => {
    const r = parse(
      'Image Index,prob_Atelectasis,prob_Pleural_Thickening\n' + 'a.png,0.1,0.2\nb.png,1e-3,0.5\n',
    )
    expect(r.idColumn).toBe('Image Index')
    expect(r.columns).toEqual([
      { column: 'prob_Atelectasis', finding: 'Atelectasis' },
      { column: 'prob_Pleural_Thickening', finding: 'Pleural_Thickening' },
    ])
    expect(r.rows.map((x) => [x.image, x.line, Array.from(x.scores)])).toEqual([
      ['a.png', 2, [0.1, 0.2]],
      ['b.png', 3, [0.001, 0.5]],
    ])
    expect(r.errors).toEqual([])
  })

  it('[M1] matches findings ignoring case, spaces and underscores; accepts BOM, CRLF, quotes', () => {
    const r = parse(
      '\ufeffImage ID,"prob_pleural thickening",prob_NODULE/MASS,prob_Opacity,\r\n"x,1.png",0.25,0.5,0.75,\r\n',
    )
    expect(r.idColumn).toBe('Image ID')
    expect(r.columns.map((c) => c.finding)).toEqual([
      'Pleural_Thickening',
      'Nodule/Mass',
      'Opacity',
    ])
    expect(r.rows[0]!.image).toBe('x,1.png')
    expect(Array.from(r.rows[0]!.scores)).toEqual([0.25, 0.5, 0.75])
  })

  it('[M1] streams: chunks split anywhere give the same rows', () => {
    const text =
      'Image Index,prob_Mass\n' + Array.from({ length: 50 }, (_, i) => `i${i},0.${i}\n`).join('')
    const p = new PredictionsCsvParser('p.csv', { findings })
    for (let i = 0; i < text.length; i += 7) p.push(text.slice(i, i + 7))
    const r = p.end()
    expect(r.rows).toHaveLength(50)
    expect(r.rows[49]!.scores[0]).toBeCloseTo(0.49, 15)
  })

  it('[M1] --id-column and --prefix', () => {
    const r = parse('file,score Edema,other\nq.png,0.3,zzz\n', {
      idColumn: 'file',
      prefix: 'score ',
    })
    expect(r.columns).toEqual([{ column: 'score Edema', finding: 'Edema' }])
    expect(r.ignoredColumns).toEqual(['other'])
  })

  it('[M2] a file without an id column, or without any known score column, is refused whole', () => {
    expect(() => parse('name,prob_Mass\na,0.1\n')).toThrow(/no image id column/)
    expect(() => parse('Image Index,p_Mass\na,0.1\n')).toThrow(/no score column "prob_<finding>"/)
    expect(() => parse('Image Index,prob_Mass\na,0.1\n', { idColumn: 'Path' })).toThrow(
      /no column "Path"/,
    )
    expect(() => parse('')).toThrow(InputFormatError)
    expect(() => parse('Image Index,prob_Mass\n')).toThrow(/header but no rows/)
    expect(() => parse('Image Index,prob_Mass,prob_mass\na,1,1\n')).toThrow(
      /both give scores for Mass/,
    )
  })

  it('[M3] a score column for an unknown finding is listed, not fatal', () => {
    const r = parse('Image Index,prob_Mass,prob_Covid,prob_No Finding,age\na,0.1,0.2,0.3,40\n')
    expect(r.unknownFindings).toEqual(['prob_Covid', 'prob_No Finding'])
    expect(r.ignoredColumns).toEqual(['age'])
    expect(r.columns).toHaveLength(1)
  })

  it('[M4] NaN, empty, text and infinite scores are row errors with line and column', () => {
    const r = parse(
      'Image Index,prob_Mass,prob_Edema\n' +
        'a,0.1,0.2\nb,NaN,0.2\nc,0.1,\nd,abc,0.5\ne,1e999,0.1\nf,0.1\ng,inf,0.3\nh,-0.5,.5\n',
    )
    expect(r.rows.map((x) => x.image)).toEqual(['a', 'h'])
    expect(r.errors).toEqual([
      { file: 'p.csv', line: 3, column: 'prob_Mass', message: '"NaN" is not a finite number' },
      { file: 'p.csv', line: 4, column: 'prob_Edema', message: 'the score is empty' },
      { file: 'p.csv', line: 5, column: 'prob_Mass', message: '"abc" is not a finite number' },
      { file: 'p.csv', line: 6, column: 'prob_Mass', message: '"1e999" is not a finite number' },
      { file: 'p.csv', line: 7, column: null, message: 'expected 3 fields, found 2' },
      { file: 'p.csv', line: 8, column: 'prob_Mass', message: '"inf" is not a finite number' },
    ])
  })

  it('[M4] an empty image id is a row error', () => {
    const r = parse('Image Index,prob_Mass\n ,0.1\n')
    expect(r.errors[0]).toMatchObject({ line: 2, column: 'Image Index' })
  })

  it('[M5] a repeated image is reported with both lines, and only its first row kept', () => {
    const r = parse('Image Index,prob_Mass\na,0.1\nb,0.2\na,0.3\n')
    expect(r.duplicates).toEqual([{ image: 'a', line: 4, firstLine: 2 }])
    expect(r.rows.map((x) => x.image)).toEqual(['a', 'b'])
  })
})
