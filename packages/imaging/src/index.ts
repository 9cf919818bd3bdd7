/**
 * @cxr-audit/imaging: decoding (PNG, JPEG, DICOM), window/level, renditions and their cache,
 * image facts, and limits against hostile files. Rules are numbered in docs/SPEC-imaging.md.
 */
export { ImageError, IMAGE_ERROR_KINDS, isImageError, type ImageErrorKind } from './errors.ts'
export { DEFAULT_LIMITS, resolveLimits, type ImageLimits } from './limits.ts'
export { ImageRoots, resolveInsideRoots } from './files.ts'
export { withTimeout } from './limits.ts'
export { sha256 } from './loaded-image.ts'

export { decodeImage, decodeBytes, type OpenOptions } from './decode/decode-image.ts'
export type { DecodedImage, DicomInfo, ImageFormat, Photometric } from './decode/types.ts'
export { SUPPORTED_TRANSFER_SYNTAXES } from './decode/dicom-header.ts'

export type {
  GreyPixels,
  LookupTable,
  Rescale,
  VoiLutFunction,
  WindowLevel,
} from './pixels/types.ts'
export { applyWindow, applyVoiLut, windowFunction, type WindowOptions } from './pixels/window.ts'
export { applyRescale, applyModalityLut, isIdentityRescale } from './pixels/rescale.ts'
export { autoWindow, minMax, windowForRange, type AutoWindowOptions } from './pixels/auto-window.ts'
export {
  WINDOW_PRESETS,
  WINDOW_PRESET_NAMES,
  isWindowPreset,
  presetWindow,
  type WindowPreset,
} from './pixels/presets.ts'
export {
  chooseVoi,
  defaultWindow,
  invertedByDefault,
  toDisplay,
  type DisplayOptions,
  type DisplaySource,
  type VoiChoice,
} from './pixels/display.ts'
export { dctPhash, hammingDistance } from './pixels/phash.ts'

export { loadImage, loadBytes, type LoadedImage, type SourceOptions } from './loaded-image.ts'
export { readImage, type ImageHeader, type ReadImage } from './read-image.ts'
export type { ImageSource, SourceBytes } from './sources/image-source.ts'
export { FileSource } from './sources/file-source.ts'
export {
  RenditionCache,
  RENDER_VERSION,
  type ModelInput,
  type PixelUse,
  type Prepared,
  type Rendition,
  type RenditionCacheOptions,
} from './render/rendition-cache.ts'
export {
  DEFAULT_RENDER_SETTINGS,
  encodeThumbnail,
  encodeView,
  makePreview,
  PREVIEW_SIZE,
  type RenderSettings,
} from './render/render.ts'
export { resample, resizeSquare, type ResizeOptions } from './pixels/resize.ts'
export { decodePgm, encodePgm, MODEL_INPUT_SIZE, modelInputOf } from './render/model-input.ts'
export { thumbnailOf, type ThumbnailOptions, type ThumbnailSize } from './render/thumbnail-of.ts'
export {
  imageFacts,
  factsOf,
  factsOfLoaded,
  factsOfRead,
  looksInverted,
  type ImageFacts,
} from './facts.ts'
export {
  buildRenditions,
  type BatchOptions,
  type BatchProgress,
  type BatchReport,
} from './batch.ts'
export { dicomFileAttributes, parsedAttributes } from './decode/dicom-attributes.ts'
