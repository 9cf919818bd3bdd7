/**
 * Window/level on the 8-bit display rendition, in display units (0 = black, 255 = white).
 * The presets are those of @cxr-audit/imaging (`WINDOW_PRESETS`, packages/imaging/src/pixels/
 * presets.ts): fractions of the default window, here the full 0-255 range. A LINEAR window
 * (DICOM PS3.3 C.11.2.1.2.1) maps center - width/2 .. center + width/2 onto black .. white.
 */
export const PRESETS = {
  default: { center: 0.5, width: 1 },
  lung: { center: 0.35, width: 0.6 },
  mediastinum: { center: 0.7, width: 0.5 },
  bone: { center: 0.78, width: 0.35 },
} as const

export type PresetName = keyof typeof PRESETS
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[]

export interface Window {
  readonly center: number
  readonly width: number
}

export const DEFAULT_WINDOW: Window = { center: 127.5, width: 256 }

export function presetWindow(name: PresetName): Window {
  const p = PRESETS[name]
  return { center: p.center * 256, width: p.width * 256 }
}

/** The 256-entry lookup table of a window, optionally inverted. */
export function windowLut(w: Window, invert: boolean): Uint8ClampedArray {
  const lut = new Uint8ClampedArray(256)
  const low = w.center - w.width / 2
  for (let v = 0; v < 256; v++) {
    const y = ((v + 0.5 - low) / w.width) * 255
    const clamped = Math.max(0, Math.min(255, Math.round(y)))
    lut[v] = invert ? 255 - clamped : clamped
  }
  return lut
}

export function clampWindow(w: Window): Window {
  return {
    center: Math.max(-128, Math.min(384, w.center)),
    width: Math.max(2, Math.min(512, w.width)),
  }
}
