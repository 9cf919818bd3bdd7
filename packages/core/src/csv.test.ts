import { describe, expect, it } from 'vitest'
import { CsvSplitter, parseCsv, type CsvRecord } from './csv.ts'

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

  /** Every record through pushRecords, as [line, ...fields], fed in pieces of `size`. */
  const inPlace = (
    text: string,
    size = text.length,
    read: (r: CsvRecord) => unknown[] = (r) => r.fields(),
  ): unknown[][] => {
    const s = new CsvSplitter()
    const got: unknown[][] = []
    const add = (r: CsvRecord): void => {
      got.push([r.line, ...read(r)])
    }
    for (let i = 0; i < text.length; i += size) s.pushRecords(text.slice(i, i + size), add)
    s.endRecords(add)
    return got
  }

  it('[CSV4] records read in place give the same fields, whatever the chunk boundaries', () => {
    const text = '\uFEFFh1,h2,h3\r\n"q,1",2,\r\nx,"y\r\nz"\r\n,,\n3,4,5\nlast,"""",end'
    const whole = records(text)
    for (let size = 1; size <= text.length; size++) {
      expect(inPlace(text, size), `chunk size ${size}`).toEqual(whole)
    }
    // fields past the end read as blank
    expect(inPlace('a,b\n', 4, (r) => [r.length, r.text(5), r.isBlank(5), r.isEmpty(-1)])).toEqual([
      [1, 2, '', true, true],
    ])
  })

  it('[CSV4] reads numbers in place exactly as Number(field.trim()) does', () => {
    // the fast path (plain decimals of up to 15 digits) and everything it hands to Number()
    const cells = [
      '0',
      '58',
      '058',
      '-1.0',
      '1.0',
      '0.0',
      '-0',
      '+5',
      '0.143',
      '0.1',
      '0.3',
      '2.675',
      '123456789012345',
      '1234567890123456',
      '9007199254740993',
      '0.000000000000001',
      '1e3',
      '.5',
      '1.',
      '-.5',
      ' 7 ',
      '\t8',
      '',
      ' ',
      '-',
      '+',
      '.',
      '1.2.3',
      '0x10',
      'abc',
      'Infinity',
      '٣',
      '3.14159265358979',
      '99999999999999.9',
    ]
    const plain = cells.join(',') + '\n'
    const got = inPlace(plain, plain.length, (r) => cells.map((_, i) => r.number(i)))[0]!.slice(1)
    expect(got).toEqual(cells.map((c) => Number(c.trim())))
    // a record with quotes is read from its unescaped fields, the same way
    const quoted = cells.map((c) => `"${c}"`).join(',') + ',"1,5"\n'
    const fromQuoted = inPlace(quoted, 7, (r) => [...cells, ''].map((_, i) => r.number(i)))
    expect(fromQuoted[0]!.slice(1)).toEqual([...cells.map((c) => Number(c.trim())), NaN])
    // -0 stays -0 (toEqual would not tell)
    expect(Object.is(got[cells.indexOf('-0')], -0)).toBe(true)
  })

  it('[CSV4] reads repeated long decimals as Number() does, whichever came before', () => {
    // over 15 digits: Number() parses them, and a column's last one is reused when it repeats
    const cells = [
      '0.14300000000000002',
      '0.14300000000000002',
      '0.14300000000000003',
      '0.1430000000000000',
      '-0.14300000000000002',
      '0.143000000000000020',
      '0.14300000000000002',
      '1234567890123456789',
      '12345678901234567890',
      '0.19431099999999998',
    ]
    const rows = cells.map((c, k) => `${c},${cells[(k + 3) % cells.length]},x${c}\n`).join('')
    const got = inPlace(rows, 5, (r) => [r.number(0), r.number(1), r.number(2)])
    expect(got).toEqual(
      cells.map((c, k) => [k + 1, Number(c), Number(cells[(k + 3) % cells.length]), NaN]),
    )
    expect(Object.is(got[4]![1], -0.14300000000000002)).toBe(true)
  })

  it('[CSV4] compares a field with a string in place', () => {
    const got = inPlace('ab,a, a,,"q,1"\n', 3, (r) => [
      r.equals(0, 'ab'),
      r.equals(0, 'a'),
      r.equals(1, 'ab'),
      r.equals(1, 'a'),
      r.equals(2, 'a'),
      r.equals(3, ''),
      r.equals(4, 'q,1'),
      r.equals(7, ''),
      r.equals(7, 'x'),
    ])
    expect(got).toEqual([[1, true, false, false, true, false, true, true, true, false]])
    // a record without quotes, read in place
    expect(
      inPlace('ab,,c\n', 2, (r) => [r.equals(0, 'ab'), r.equals(1, ''), r.equals(2, 'cd')]),
    ).toEqual([[1, true, true, false]])
  })

  it('[CSV4] tells blank and empty fields apart', () => {
    const got = inPlace('a, ,,"",x\n', 100, (r) =>
      [0, 1, 2, 3, 4].map(
        (i) => `${r.isEmpty(i) ? 'E' : '-'}${r.isBlank(i) ? 'B' : '-'}${r.trimmed(i)}`,
      ),
    )
    expect(got).toEqual([[1, '--a', '-B', 'EB', 'EB', '--x']])
    // whitespace of every kind String.prototype.trim knows, and what follows it
    const spaces = [' ', '\t', '\u00a0', '\u2003', '\u3000', '\ufeff', '\u000b', '\u000c']
    const cells = [...spaces, ...spaces.map((c) => `${c}1`), '~', '\u007f', '\u0080', 'é', '1 ']
    const blank = inPlace(cells.join(',') + '\n', 100, (r) => cells.map((_, i) => r.isBlank(i)))
    expect(blank[0]!.slice(1)).toEqual(cells.map((c) => c.trim() === ''))
  })
})
