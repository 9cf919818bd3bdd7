import { describe, expect, it } from 'vitest'
import { accountNameProblem, isRole, roleMay } from './accounts.ts'

describe('roles', () => {
  it('[A1] admins may do everything; readers review; viewers read results; nobody else', () => {
    expect(roleMay('admin', 'admin')).toBe(true)
    expect(roleMay('admin', 'review')).toBe(true)
    expect(roleMay('reader', 'review')).toBe(true)
    expect(roleMay('reader', 'results')).toBe(false)
    expect(roleMay('reader', 'admin')).toBe(false)
    expect(roleMay('viewer', 'results')).toBe(true)
    expect(roleMay('viewer', 'review')).toBe(false)
    expect(roleMay('viewer', 'admin')).toBe(false)
    for (const r of ['admin', 'reader', 'viewer'] as const) expect(roleMay(r, 'session')).toBe(true)
    expect(isRole('root')).toBe(false)
    expect(isRole('viewer')).toBe(true)
  })

  it('[A2] account names are plain printable names', () => {
    expect(accountNameProblem('Dr Ana López')).toBeNull()
    expect(accountNameProblem('<script>alert(1)</script>')).toMatch(/letters, digits/)
    expect(accountNameProblem(' bob')).toMatch(/space/)
    expect(accountNameProblem('')).toMatch(/letters/)
  })
})
