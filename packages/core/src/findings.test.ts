import { describe, expect, it } from 'vitest'
import {
  CXR14_FINDINGS,
  FindingNames,
  NO_FINDING,
  derivedLabel,
  findingKey,
  resolveFindingNames,
} from './findings.ts'

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

  it('[F2] --finding names resolve in the order asked, each once; unknown ones refused or let through', () => {
    const all = ['Mass', 'Nodule', 'Nodule/Mass', 'Pleural_Thickening'].map((name, id) => ({
      id,
      name,
    }))
    const unknown = (raw: string, name: string | undefined) =>
      new Error(`${raw} -> ${name ?? 'nothing'}`)
    const r = resolveFindingNames(all, ['nodule or mass', 'pleural thickening', 'MASS', 'Mass'], {
      unknown,
    })
    expect(r.found.map((f) => f.name)).toEqual(['Nodule/Mass', 'Pleural_Thickening', 'Mass'])
    expect(r.missing).toEqual([])
    expect(() => resolveFindingNames(all, ['Mass', 'Fracture'], { unknown })).toThrow(
      'Fracture -> nothing',
    )
    // matched among all, but not among the ones asked for (a model without scores for it)
    expect(() => resolveFindingNames(all, ['nodule'], { among: all.slice(0, 1), unknown })).toThrow(
      'nodule -> Nodule',
    )
    const lenient = resolveFindingNames(all, ['Fracture', 'Nodule'], {
      unknown,
      missing: (raw) => raw === 'Fracture',
    })
    expect([lenient.found.map((f) => f.name), lenient.missing]).toEqual([['Nodule'], ['Fracture']])
  })
})
