import { describe, expect, it } from 'vitest'
import { CsvSplitter, parseCsv } from './csv.ts'

const records = (text: string) => parseCsv(text).map((r) => [r.line, ...r.fields])

describe('CSV', () => {
  it('[CSV1] reads quoted fields with commas, doubled quotes and line breaks', () => {
    expect(records('a,"b,c","say ""hi"""\n"multi\nline",x,y\nlast,1,2\n')).toEqual([
      [1, 'a', 'b,c', 'say "hi"'],
      [2, 'multi\nline', 'x', 'y'],
      [4, 'last', '1', '2'],
    ])
  })

  it('[CSV2] drops a byte-order mark, accepts CRLF and a last line without a line end', () => {
    expect(records('\uFEFFImage Index,Age\r\na.png,5\r\nb.png,7')).toEqual([
      [1, 'Image Index', 'Age'],
      [2, 'a.png', '5'],
      [3, 'b.png', '7'],
    ])
  })

  it('[CSV3] gives the same records whatever the chunk boundaries', () => {
    const text = 'h1,h2\r\n"q,1",2\r\nx,"y\r\nz"\r\n3,4\n'
    const whole = records(text)
    for (let size = 1; size <= text.length; size++) {
      const s = new CsvSplitter()
      const got: (string | number)[][] = []
      const add = (f: string[], line: number): void => {
        got.push([line, ...f])
      }
      for (let i = 0; i < text.length; i += size) s.push(text.slice(i, i + size), add)
      s.end(add)
      expect(got, `chunk size ${size}`).toEqual(whole)
    }
  })
})
