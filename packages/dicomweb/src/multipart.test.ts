import { describe, expect, it } from 'vitest'
import { boundaryOf, buildMultipart, parseMultipart } from './multipart.ts'
import { baseUrl, credentialsFromEnv } from './auth.ts'

describe('multipart/related and URLs', () => {
  it('[D6] splits a WADO-RS answer whose parts contain CR LF and boundary-like bytes', () => {
    const a = Buffer.from('DICM\r\n--not-the-boundary\r\n\u0000\u00ff')
    const b = Buffer.from('second')
    const body = buildMultipart([a, b], 'XYZ')
    expect(boundaryOf('multipart/related; type="application/dicom"; boundary=XYZ')).toBe('XYZ')
    expect(boundaryOf('multipart/related; boundary="a b"; type=x')).toBe('a b')
    const parts = parseMultipart(body, 'XYZ', 'u')
    expect(parts.map((p) => Buffer.from(p.body).toString('latin1'))).toEqual([
      a.toString('latin1'),
      'second',
    ])
    expect(parts[0]!.headers['content-type']).toBe('application/dicom')
    expect(() => parseMultipart(body.subarray(0, body.length - 12), 'XYZ', 'u')).toThrow(
      /cut short/,
    )
  })

  it('[D6] takes a part that declares its Content-Length at that length, and ignores a wrong one', () => {
    const pixels = Buffer.alloc(5000, 7)
    // a body that ends in CR LF and holds a boundary-like line: the length decides, not a search
    const a = Buffer.concat([Buffer.from('DICM'), pixels, Buffer.from('\r\n--XYZ-ish\r\n')])
    const part = (b: Buffer, length: number): Buffer =>
      Buffer.concat([
        Buffer.from(
          `--XYZ\r\nContent-Type: application/dicom\r\nContent-Length: ${length}\r\n\r\n`,
        ),
        b,
        Buffer.from('\r\n'),
      ])
    const body = Buffer.concat([
      part(a, a.length),
      part(Buffer.from('two'), 3),
      Buffer.from('--XYZ--\r\n'),
    ])
    const parts = parseMultipart(body, 'XYZ', 'u')
    expect(parts.map((p) => Buffer.from(p.body).equals(a))).toEqual([true, false])
    expect(Buffer.from(parts[1]!.body).toString()).toBe('two')
    // the part is a view into the answer, not a copy
    expect(parts[0]!.body.buffer).toBe(body.buffer)
    // a Content-Length that does not land on the delimiter: the delimiter is searched for
    const lying = Buffer.concat([part(Buffer.from('three'), 2), Buffer.from('--XYZ--\r\n')])
    expect(Buffer.from(parseMultipart(lying, 'XYZ', 'u')[0]!.body).toString()).toBe('three')
    expect(() => parseMultipart(part(a, a.length), 'XYZ', 'u')).toThrow(/cut short/)
  })

  it('[D3] [D4] a base URL is http(s) without credentials, query or fragment', () => {
    expect(baseUrl('http://pacs:8042/dicom-web/')).toBe('http://pacs:8042/dicom-web')
    for (const bad of [
      'ftp://pacs/x',
      'pacs/x',
      'http://u:p@pacs/x',
      'http://pacs/x?y=1',
      'http://pacs/x#f',
    ])
      expect(() => baseUrl(bad), bad).toThrow()
    expect(() => baseUrl('http://u:secret@pacs/x')).toThrow(/CXR_AUDIT_DICOMWEB_USER/)
    try {
      baseUrl('http://u:secret@pacs/x')
    } catch (e) {
      expect(String(e)).not.toContain('secret')
    }
    expect(
      credentialsFromEnv({ CXR_AUDIT_DICOMWEB_TOKEN: 't', CXR_AUDIT_DICOMWEB_USER: 'u' }),
    ).toEqual({ kind: 'bearer', token: 't' })
    expect(credentialsFromEnv({ CXR_AUDIT_DICOMWEB_USER: 'u' })).toEqual({
      kind: 'basic',
      user: 'u',
      password: '',
    })
    expect(credentialsFromEnv({})).toEqual({ kind: 'none' })
  })
})
