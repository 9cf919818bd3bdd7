/**
 * One grey channel, row-major. Integer arrays hold stored values (or Modality LUT output when
 * it is integral); Float32Array holds Modality values after a non-identity rescale.
 */
export type GreyPixels = Uint8Array | Uint16Array | Int16Array | Float32Array

/** A VOI window (PS3.3 C.11.2.1.2), in Modality units: after Rescale Slope/Intercept. */
export interface WindowLevel {
  readonly center: number
  readonly width: number
}

/** VOI LUT Function (0028,1056), PS3.3 C.11.2.1.3. */
export type VoiLutFunction = 'LINEAR' | 'LINEAR_EXACT' | 'SIGMOID'

/**
 * A lookup table as given by a LUT Descriptor (0028,3002) and LUT Data (0028,3006),
 * PS3.3 C.11.1.1 (Modality LUT) and C.11.2.1.1 (VOI LUT).
 */
export interface LookupTable {
  /** The input value mapped to `data[0]` (descriptor value 2, signed when pixels are). */
  readonly firstMapped: number
  /** Bits per output entry (descriptor value 3). */
  readonly bits: number
  readonly data: Uint16Array
  readonly explanation?: string
}

/** Rescale Slope (0028,1053) and Intercept (0028,1052), PS3.3 C.11.1.1.2. */
export interface Rescale {
  readonly slope: number
  readonly intercept: number
  readonly type?: string
}

/**
 * An 8-bit grey raster as displayed (0 black, 255 white), row-major, one byte per pixel: the
 * default display of an image, or a resized copy of it.
 */
export interface GreyImage {
  readonly width: number
  readonly height: number
  readonly pixels: Uint8Array
}
