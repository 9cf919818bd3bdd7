/**
 * `@cxr-audit/imaging/dicom-files`: reading a DICOM file's attributes without the decoders and
 * sharp, for commands that only read headers (`import dicom`) and must start light (decision 007).
 */
export { dicomFileAttributes, parsedAttributes } from './decode/dicom-attributes.ts'
export { ImageError, isImageError } from './errors.ts'
