import type {
  GreyPixels,
  LookupTable,
  Rescale,
  VoiLutFunction,
  WindowLevel,
} from '../pixels/types.ts'

export type ImageFormat = 'png' | 'jpeg' | 'dicom'

/** Photometric Interpretation of the source (PS3.3 C.7.6.3.1.2); pixels are always grey. */
export type Photometric = 'MONOCHROME1' | 'MONOCHROME2' | 'RGB'

/** Header fields of a DICOM file that matter for import. */
export interface DicomInfo {
  readonly transferSyntax: string
  readonly modality?: string
  /** Pixel Spacing (0028,0030), else Imager Pixel Spacing (0018,1164): `[row, column]` in mm. */
  readonly pixelSpacing?: readonly [number, number]
  /** View Position (0018,5101), e.g. `PA`, `AP`, `LL`. */
  readonly viewPosition?: string
  /** Patient's Sex (0010,0040): `M`, `F` or `O`. */
  readonly patientSex?: string
  /** Patient's Age (0010,1010) as written, e.g. `062Y`. */
  readonly patientAge?: string
  /** Patient's Age in years, when the age string can be read. */
  readonly patientAgeYears?: number
  readonly numberOfFrames: number
  /** Presentation LUT Shape (2050,0020) INVERSE, PS3.3 C.11.6.1. */
  readonly presentationInverse: boolean
  /** All Window Center/Width pairs (0028,1050/1051), the first is the default. */
  readonly windows: readonly WindowLevel[]
}

/** A decoded image: one grey channel after the Modality LUT, plus what is needed to display it. */
export interface DecodedImage {
  /** The real path that was read. */
  readonly file: string
  readonly format: ImageFormat
  readonly width: number
  readonly height: number
  /** Significant bits per stored sample: 8 or 16 for PNG/JPEG, Bits Stored for DICOM. */
  readonly bitsStored: number
  /** Samples per pixel in the source, alpha included (1 grey, 2 grey+alpha, 3 RGB, 4 RGBA). */
  readonly channels: number
  readonly photometric: Photometric
  /** Row-major grey values after the Modality LUT; MONOCHROME1 is *not* inverted here. */
  readonly pixels: GreyPixels
  /** The default VOI window from the file (DICOM), in Modality units. */
  readonly window?: WindowLevel
  readonly voiLutFunction?: VoiLutFunction
  /** The first VOI LUT (0028,3010) of the file, used when there is no window. */
  readonly voiLut?: LookupTable
  /** The Rescale Slope/Intercept that were applied to get `pixels`. */
  readonly rescale?: Rescale
  readonly dicom?: DicomInfo
}
