import { describe, expect, it } from 'vitest'
import { parseBboxList, parseSplitList } from './bbox.ts'

describe('bounding boxes and split lists', () => {
  it('[X5] reads the NIH box list with its split header and empty trailing columns', () => {
    const text =
      'Image Index,Finding Label,Bbox [x,y,w,h],,,\r\n00013118_008.png,Infiltrate,225.08,547.01,86.77,79.18,,,\r\nbad.png,Mass,1,two,3,4\r\n'
    const { records, errors } = parseBboxList('BBox_List_2017.csv', text)
    expect(records).toEqual([
      {
        image: '00013118_008.png',
        finding: 'Infiltrate',
        x: 225.08,
        y: 547.01,
        w: 86.77,
        h: 79.18,
        line: 2,
      },
    ])
    expect(errors).toEqual([
      { file: 'BBox_List_2017.csv', line: 3, column: 'Bbox y', message: '"two" is not a number' },
    ])
  })

  it('[X3] names the metadata when it is given as a box list', () => {
    expect(() => parseBboxList('x.csv', 'Image Index,Finding Labels,Follow-up #\n')).toThrow(
      /looks like the metadata/,
    )
    expect(() => parseBboxList('x.csv', '')).toThrow('x.csv: the file is empty')
  })

  it('[X5] reads a split list, one name per line, with BOM and CRLF', () => {
    expect(parseSplitList('test_list.txt', '\uFEFFa.png\r\nb.png\r\n\r\n')).toEqual([
      'a.png',
      'b.png',
    ])
    expect(() => parseSplitList('test_list.txt', '\n\n')).toThrow('the split list is empty')
    expect(() => parseSplitList('test_list.txt', 'a.png,Mass\n')).toThrow(/one image name per line/)
    // the line of the file, blank lines counted
    expect(() => parseSplitList('test_list.txt', 'a.png\r\n\r\nb.png,Mass\r\n')).toThrow(
      /line 3: a split list has one image name per line, found "b.png,Mass"/,
    )
  })
})
