import { describe, expect, it } from 'vitest'
import { CXR14_FINDINGS, FindingNames, NO_FINDING, derivedLabel, findingKey } from './findings.ts'

describe('findings', () => {
  it('[F1] has the 14 CXR14 findings in the published order', () => {
    expect(CXR14_FINDINGS).toHaveLength(14)
    expect(CXR14_FINDINGS[0]).toBe('Atelectasis')
    expect(CXR14_FINDINGS[13]).toBe('Hernia')
    expect(CXR14_FINDINGS).not.toContain(NO_FINDING)
  })

  it('[F2] matches names regardless of case, spaces, underscores and slashes', () => {
    const names = new FindingNames([...CXR14_FINDINGS, 'Nodule/Mass'])
    expect(names.resolve('Pleural Thickening')).toBe('Pleural_Thickening')
    expect(names.resolve('pleural_thickening')).toBe('Pleural_Thickening')
    expect(names.resolve('  EFFUSION ')).toBe('Effusion')
    expect(names.resolve('Nodule/mass')).toBe('Nodule/Mass')
    expect(names.resolve('Nodule mass')).toBe('Nodule/Mass')
    expect(findingKey('Pleural Thickening')).toBe(findingKey('Pleural_Thickening'))
  })

  it('[F3] resolves known aliases, only to findings the dataset has', () => {
    const names = new FindingNames([...CXR14_FINDINGS, 'Nodule/Mass', 'Opacity'])
    // the NIH box list says Infiltrate where the metadata says Infiltration
    expect(names.resolve('Infiltrate')).toBe('Infiltration')
    expect(names.resolve('Nodule or mass')).toBe('Nodule/Mass')
    expect(names.resolve('Airspace opacity')).toBe('Opacity')
    expect(new FindingNames(CXR14_FINDINGS).resolve('Airspace opacity')).toBeUndefined()
    expect(names.resolve('Fracture')).toBeUndefined()
  })

  it('[F4] a derived label is the union: positive, else uncertain, else negative', () => {
    expect(derivedLabel([0, 1, -1])).toBe(1)
    expect(derivedLabel([0, -1, 0])).toBe(-1)
    expect(derivedLabel([0, 0])).toBe(0)
    expect(derivedLabel([])).toBe(0)
  })
})
