import { describe, expect, it } from 'vitest'
import { InputFormatError } from '../records.ts'
import { RSNA_FINDING, parseRsnaClassInfo, parseRsnaLabels } from './rsna.ts'

const HEAD = 'patientId,x,y,width,height,Target\n'

describe('RSNA Pneumonia labels', () => {
  it('[DS7] one film per patientId: positive with its boxes, or a stated negative', () => {
    const t = parseRsnaLabels(
      'l.csv',
      HEAD + 'a,,,,,0\nb,264.0,152.0,213.0,379.0,1\nb,562.0,152.0,256.0,453.0,1\n',
    )
    expect(t.errors).toEqual([])
    expect(t.records.map((r) => [r.name, [...r.labels]])).toEqual([
      ['a', [[RSNA_FINDING, 0]]],
      ['b', [[RSNA_FINDING, 1]]],
    ])
    expect(t.boxes).toEqual([
      { image: 'b', finding: RSNA_FINDING, x: 264, y: 152, w: 213, h: 379, line: 3 },
      { image: 'b', finding: RSNA_FINDING, x: 562, y: 152, w: 256, h: 453, line: 4 },
    ])
  })

  it('[DS7] a box without Target 1, Target 1 without a box, bad numbers, mixed Targets: line and column', () => {
    const t = parseRsnaLabels(
      'l.csv',
      HEAD +
        'a,1,2,3,4,0\n' +
        'b,1,,3,4,1\n' +
        'c,x,2,3,4,1\n' +
        'd,1,2,-3,4,1\n' +
        'e,,,,,2\n' +
        'f,,,,,0\n' +
        'f,1,2,3,4,1\n',
    )
    expect(t.errors.map((e) => [e.line, e.column])).toEqual([
      [2, 'x'],
      [3, 'y'],
      [4, 'x'],
      [5, 'width'],
      [6, 'Target'],
      [8, 'Target'],
    ])
    expect(t.errors[0]!.file).toBe('l.csv')
  })

  it('[DS7] a repeated row is kept once and listed; a header without the columns is refused', () => {
    const t = parseRsnaLabels('l.csv', HEAD + 'a,,,,,0\na,,,,,0\nb,1,2,3,4,1\nb,1,2,3,4,1\n')
    expect(t.records).toHaveLength(2)
    expect(t.boxes).toHaveLength(1)
    expect(t.duplicates).toEqual(['a (line 3)', 'b (line 5)'])
    expect(() => parseRsnaLabels('l.csv', 'Image Index,Finding Labels\n')).toThrow(InputFormatError)
  })

  it('[DS7] class info: one class per film; a film with two classes is an error', () => {
    const c = parseRsnaClassInfo(
      'c.csv',
      'patientId,class\na,Normal\nb,Lung Opacity\nb,Lung Opacity\nc,Normal\nc,Lung Opacity\n',
    )
    expect(c.classes).toEqual(
      new Map([
        ['a', 'Normal'],
        ['b', 'Lung Opacity'],
        ['c', 'Normal'],
      ]),
    )
    expect(c.errors.map((e) => [e.line, e.column])).toEqual([[6, 'class']])
  })
})
