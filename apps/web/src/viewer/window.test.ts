import { WINDOW_PRESET_NAMES } from '@cxr-audit/core'
import { describe, expect, it } from 'vitest'
import { presetWindow, windowLut } from './window.ts'

describe('[I10] the viewer window presets', () => {
  it('are the shared presets, as fractions of the 0-255 display range', () => {
    // the viewer once kept its own copy of the preset table, which could drift from the
    // renditions' presets
    expect(WINDOW_PRESET_NAMES).toEqual(['default', 'lung', 'mediastinum', 'bone'])
    const lung = presetWindow('lung')
    expect(lung.center).toBeCloseTo(89.6, 10)
    expect(lung.width).toBeCloseTo(153.6, 10)
    expect(presetWindow('default')).toEqual({ center: 128, width: 256 })
  })

  it('darkens below the lung window and saturates above it', () => {
    const lut = windowLut(presetWindow('lung'), false)
    expect(lut[0]).toBe(0)
    expect(lut[200]).toBe(255)
    expect(windowLut(presetWindow('lung'), true)[0]).toBe(255)
  })
})
