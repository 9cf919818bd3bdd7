import { WINDOW_PRESETS, type WindowPreset } from '@cxr-audit/core'
import type { WindowLevel } from './types.ts'

// The presets themselves are data in @cxr-audit/core (the web viewer uses the same list).
export {
  WINDOW_PRESETS,
  WINDOW_PRESET_NAMES,
  isWindowPreset,
  type WindowPreset,
} from '@cxr-audit/core'

/**
 * Turns a preset into a window in Modality units, relative to `base` (a LINEAR window,
 * PS3.3 C.11.2.1.2.1, whose range is `c - 0.5 - (w-1)/2 .. c - 0.5 + (w-1)/2`). When the display
 * is inverted (MONOCHROME1), display fraction `f` lies at `1 - f` of the stored range.
 */
export function presetWindow(preset: WindowPreset, base: WindowLevel, invert = false): WindowLevel {
  const p = WINDOW_PRESETS[preset]
  if (preset === 'default') return base
  const low = base.center - 0.5 - (base.width - 1) / 2
  const f = invert ? 1 - p.center : p.center
  return { center: low + f * base.width, width: Math.max(1, p.width * base.width) }
}
