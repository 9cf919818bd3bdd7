import { describe, expect, it } from 'vitest'
import { ageInYears, instanceRecord, privacyOf, skipReason, viewOf } from './attributes.ts'
import { findingCode } from './codes.ts'
import { jsonAttributes, type DicomJsonDataset } from './json.ts'
import { isDicomUid, parseInstancePath, instancePath, uidFromHex } from './uids.ts'

const ds = (o: Record<string, [string, unknown[]]>): DicomJsonDataset =>
  Object.fromEntries(Object.entries(o).map(([k, [vr, Value]]) => [k, { vr, Value }]))

describe('DICOM attributes of an instance', () => {
  it('[D1] reads patient, sex, age, view, study and series from the DICOM JSON model', () => {
    const r = instanceRecord(
      jsonAttributes(
        ds({
          '00080016': ['UI', ['1.2.840.10008.5.1.4.1.1.1.1']],
          '00080018': ['UI', ['1.2.3.4']],
          '00080060': ['CS', ['dx']],
          '00100010': ['PN', [{ Alphabetic: 'Doe^Jane' }]],
          '00100020': ['LO', ['MRN 7']],
          '00100040': ['CS', ['f']],
          '00101010': ['AS', ['006M']],
          '00280010': ['US', [2048]],
          '00280011': ['US', [1024]],
          '00120062': ['CS', ['YES']],
        }),
      ),
      { study: '1.2', series: '1.2.3' },
    )
    expect(r).toEqual({
      sopInstanceUid: '1.2.3.4',
      sopClassUid: '1.2.840.10008.5.1.4.1.1.1.1',
      studyUid: '1.2',
      seriesUid: '1.2.3',
      modality: 'DX',
      patient: 'MRN 7',
      sex: 'F',
      age: 0.5,
      view: '',
      studyDate: null,
      width: 1024,
      height: 2048,
      identityRemoved: true,
      burnedIn: null,
    })
    // the patient's name is not part of the record at all
    expect(JSON.stringify(r)).not.toContain('Doe')
  })

  it('[D1] Patient Age is AS (days, weeks, months, years); a bare number is years', () => {
    expect([ageInYears('045Y'), ageInYears('003W'), ageInYears('010D'), ageInYears('62')]).toEqual([
      45, 0.06, 0.03, 62,
    ])
    expect([ageInYears(''), ageInYears('45 years'), ageInYears(undefined)]).toEqual([
      null,
      null,
      null,
    ])
  })

  it('[D1] the view comes from View Position, else the View Code Sequence (CID 4010)', () => {
    const code = (value: string, meaning: string) =>
      jsonAttributes(
        ds({
          '00540220': ['SQ', [ds({ '00080100': ['SH', [value]], '00080104': ['LO', [meaning]] })]],
        }),
      )
    expect(viewOf(code('R-10214', 'postero-anterior'))).toBe('PA')
    expect(viewOf(code('R-10206', 'antero-posterior'))).toBe('AP')
    expect(viewOf(code('399348003', 'antero-posterior'))).toBe('AP') // SNOMED CT id, by meaning
    expect(viewOf(code('X', 'left lateral'))).toBe('LL')
    expect(viewOf(jsonAttributes(ds({ '00185101': ['CS', ['pa']] })))).toBe('PA')
  })

  it('[D2] [D5] skips non-image classes and other modalities; marks what may identify', () => {
    const base = instanceRecord(
      jsonAttributes(
        ds({ '00080016': ['UI', ['1.2.840.10008.5.1.4.1.1.88.33']], '00080018': ['UI', ['1.9']] }),
      ),
      { study: '1.1', series: '1.2' },
    )
    expect(skipReason(base, ['CR', 'DX'])).toMatch(/SOP class .*88\.33 \(Comprehensive SR\)/)
    const ct = { ...base, sopClassUid: '1.2.840.10008.5.1.4.1.1.1', modality: 'CT' }
    expect(skipReason(ct, ['CR', 'DX'])).toBe('modality CT is not one of CR, DX')
    expect(skipReason({ ...ct, modality: 'CR' }, ['CR'])).toBeNull()
    expect(skipReason({ ...ct, modality: 'CR', seriesUid: '1.2/../x' }, ['CR'])).toMatch(/invalid/)
    expect(privacyOf({ identityRemoved: null, burnedIn: null })).toEqual({
      identifiable: true,
      burnedIn: false,
    })
    expect(privacyOf({ identityRemoved: true, burnedIn: 'YES' })).toEqual({
      identifiable: false,
      burnedIn: true,
    })
  })
})

describe('UIDs and instance paths', () => {
  it('[D3] a UID can add no path segment, query or host; a path is exactly studies/series/instances', () => {
    expect(isDicomUid('1.2.840.10008.5.1.4.1.1.1')).toBe(true)
    for (const bad of ['', '1..2', '1.2/3', '../1', '1.2?x', 'http://x', '1'.repeat(65)])
      expect(isDicomUid(bad), bad).toBe(false)
    const a = { study: '1.2', series: '1.2.3', instance: '1.2.3.4' }
    expect(parseInstancePath(instancePath(a))).toEqual(a)
    for (const bad of [
      'studies/1/series/2/instances/3/frames/1',
      '/studies/1/series/2/instances/3',
      'studies/1/series/2/instances/3?x=1',
      'studies/1/series/../instances/3',
      '../../etc/passwd',
    ])
      expect(parseInstancePath(bad), bad).toBeUndefined()
    expect(() => instancePath({ ...a, instance: '1/2' })).toThrow(RangeError)
  })

  it('[D8] UIDs from a digest are 2.25 UUID-derived UIDs of at most 64 characters', () => {
    const uid = uidFromHex('f'.repeat(64))
    expect(uid).toMatch(/^2\.25\.\d+$/)
    expect(uid.length).toBeLessThanOrEqual(64)
    const uuid = BigInt(uid.slice(5)).toString(16).padStart(32, '0')
    expect(uuid[12]).toBe('8') // version 8
    expect(['8', '9', 'a', 'b']).toContain(uuid[16]) // RFC 9562 variant
    expect(uidFromHex('0'.repeat(32))).toBe(uidFromHex('0'.repeat(40)))
  })

  it('[D8] findings have SNOMED CT codes; the rest a private code of their name', () => {
    expect(findingCode('Pneumothorax')).toEqual({
      value: '36118008',
      scheme: 'SCT',
      meaning: 'Pneumothorax',
    })
    expect(findingCode('Pleural_Thickening').scheme).toBe('99CXRAUD')
    expect(findingCode('Nodule/Mass').value).toBe('NODULE_MASS')
    expect(findingCode('Lung Lesion')).toEqual({
      value: 'LUNGLESION',
      scheme: '99CXRAUD',
      meaning: 'Lung Lesion',
    })
  })
})
