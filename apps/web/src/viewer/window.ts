import { WINDOW_PRESETS, type WindowPreset } from '@cxr-audit/core'

/**
 * Window/level on the 8-bit display rendition, in display units (0 = black, 255 = white).
 * The presets are the shared ones of @cxr-audit/core (`WINDOW_PRESETS`, also used by the
 * renditions of @cxr-audit/imaging): fractions of the default window, here the full 0-255
 * range. A LINEAR window (DICOM PS3.3 C.11.2.1.2.1) maps center - width/2 .. center + width/2
 * onto black .. white.
 */
export interface Window {
  readonly center: number
  readonly width: number
}

export const DEFAULT_WINDOW: Window = { center: 127.5, width: 256 }

export function presetWindow(name: WindowPreset): Window {
  const p = WINDOW_PRESETS[name]
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
