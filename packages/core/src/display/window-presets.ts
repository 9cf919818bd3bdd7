/**
 * Window presets for projection radiographs: the one list the imaging package (renditions) and
 * the web viewer (its 256-entry table) both use. Unlike CT, a radiograph has no absolute unit
 * (Hounsfield), so each preset is a fraction of the image's own default window (the DICOM
 * window, or the automatic one), in display space (0 = black, 1 = white): `center` is where the
 * preset is centred and `width` how much of the default range it spans; a narrower width means
 * more contrast. For an 8-bit image whose default window is 128/256 (0..255), `lung` is center
 * 89.6 / width 153.6; for a 12-bit image with window 2048/4096 it is 1433.6 / 2457.6.
 * docs/SPEC-imaging.md [I10].
 */
export const WINDOW_PRESETS = {
  /** The default window itself: the DICOM one, else the full 8-bit range or auto. */
  default: { center: 0.5, width: 1 },
  /** Dark (radiolucent) lung fields stretched: vessels, nodules, pneumothorax edges. */
  lung: { center: 0.35, width: 0.6 },
  /** Bright soft tissue stretched: mediastinum, retrocardiac and subdiaphragmatic regions. */
  mediastinum: { center: 0.7, width: 0.5 },
  /** The brightest range narrowly: ribs, clavicles, spine, fracture lines. */
  bone: { center: 0.78, width: 0.35 },
} as const satisfies Record<string, { readonly center: number; readonly width: number }>

export type WindowPreset = keyof typeof WINDOW_PRESETS

export const WINDOW_PRESET_NAMES = Object.keys(WINDOW_PRESETS) as readonly WindowPreset[]

export function isWindowPreset(name: string): name is WindowPreset {
  return Object.hasOwn(WINDOW_PRESETS, name)
}
