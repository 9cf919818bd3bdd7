import { autoWindow, windowForRange } from './auto-window.ts'
import { isWindowPreset, presetWindow, type WindowPreset } from './presets.ts'
import { applyVoiLut, applyWindow, isIdentityWindow8 } from './window.ts'
import type { GreyPixels, LookupTable, VoiLutFunction, WindowLevel } from './types.ts'

/** Display parameters of a view rendition; all optional. */
export interface DisplayOptions {
  /** Window center in Modality units; the other of center/width comes from the default. */
  readonly center?: number
  readonly width?: number
  /** A preset relative to the default window (ignored when center or width is given). */
  readonly preset?: WindowPreset
  /** Invert on top of the photometric default (a viewer's invert button): MONOCHROME1 + invert shows stored values. */
  readonly invert?: boolean
}

/** What the display pipeline needs from a decoded image. */
export interface DisplaySource {
  readonly pixels: GreyPixels
  readonly bitsStored: number
  readonly photometric: string
  readonly format?: string
  readonly window?: WindowLevel
  readonly voiLutFunction?: VoiLutFunction
  readonly voiLut?: LookupTable
  readonly dicom?: { readonly presentationInverse: boolean }
}

/** The VOI step chosen for an image, PS3.3 C.11.2.1.2. */
export type VoiChoice =
  | {
      readonly kind: 'window'
      readonly window: WindowLevel
      readonly fn: VoiLutFunction
      readonly invert: boolean
    }
  | { readonly kind: 'voi-lut'; readonly lut: LookupTable; readonly invert: boolean }

/** True when the photometric default shows the image inverted (MONOCHROME1, or INVERSE shape). */
export function invertedByDefault(image: DisplaySource): boolean {
  return image.photometric === 'MONOCHROME1' || image.dicom?.presentationInverse === true
}

/**
 * The window an image is shown with when nobody asks for another: the file's own (DICOM
 * Window Center/Width), else the full range for 8-bit data (an identity), else
 * {@link autoWindow} (0.5th to 99.5th percentile) for wider data.
 */
export function defaultWindow(image: DisplaySource): WindowLevel {
  if (image.window) return image.window
  if (image.bitsStored <= 8 && image.pixels instanceof Uint8Array) return windowForRange(0, 255)
  return autoWindow(image.pixels)
}

/**
 * Chooses the VOI step: explicit center/width, else a preset, else the file's window, else its
 * VOI LUT, else the default window. When both a window and a VOI LUT are present the window
 * wins (PS3.3 C.11.2.1.2 lets the application choose; windows are what readers adjust).
 */
export function chooseVoi(image: DisplaySource, options: DisplayOptions = {}): VoiChoice {
  const invert = invertedByDefault(image) !== (options.invert === true)
  const hasExplicit = options.center !== undefined || options.width !== undefined
  if (!hasExplicit && options.preset === undefined && !image.window && image.voiLut) {
    return { kind: 'voi-lut', lut: image.voiLut, invert }
  }
  const base = defaultWindow(image)
  const fn = image.voiLutFunction ?? 'LINEAR'
  if (hasExplicit) {
    const window = { center: options.center ?? base.center, width: options.width ?? base.width }
    return { kind: 'window', window, fn, invert }
  }
  if (options.preset !== undefined && isWindowPreset(options.preset)) {
    return {
      kind: 'window',
      window: presetWindow(options.preset, base, invertedByDefault(image)),
      fn,
      invert,
    }
  }
  return { kind: 'window', window: base, fn, invert }
}

/**
 * Renders `image` to 8-bit display values (0 black, 255 white), one byte per pixel. When the
 * display is the stored 8-bit values themselves (the default window of an ordinary 8-bit PNG or
 * JPEG, not inverted) it returns `image.pixels` itself rather than a copy: treat the result as
 * read-only.
 */
export function toDisplay(image: DisplaySource, options: DisplayOptions = {}): Uint8Array {
  const voi = chooseVoi(image, options)
  if (voi.kind === 'voi-lut') return applyVoiLut(image.pixels, voi.lut, { invert: voi.invert })
  if (image.pixels instanceof Uint8Array && !voi.invert && isIdentityWindow8(voi.window, voi.fn))
    return image.pixels
  return applyWindow(image.pixels, voi.window, { invert: voi.invert, fn: voi.fn })
}
