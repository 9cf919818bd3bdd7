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
