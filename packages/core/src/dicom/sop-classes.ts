/**
 * SOP classes (PS3.4 B.5) an audit can show: the projection radiographs a chest film is stored
 * as. Anything else in a study (reports, presentation states, CT) is listed, never imported.
 */
export const IMAGE_SOP_CLASSES: Readonly<Record<string, string>> = {
  '1.2.840.10008.5.1.4.1.1.1': 'Computed Radiography Image',
  '1.2.840.10008.5.1.4.1.1.1.1': 'Digital X-Ray Image - For Presentation',
  '1.2.840.10008.5.1.4.1.1.1.1.1': 'Digital X-Ray Image - For Processing',
  '1.2.840.10008.5.1.4.1.1.7': 'Secondary Capture Image',
  '1.2.840.10008.5.1.4.1.1.7.2': 'Multi-frame Grayscale Byte Secondary Capture Image',
  '1.2.840.10008.5.1.4.1.1.7.3': 'Multi-frame Grayscale Word Secondary Capture Image',
}

/** Names of common SOP classes that are not images of a film, for the skipped list. */
const OTHER_SOP_CLASSES: Readonly<Record<string, string>> = {
  '1.2.840.10008.5.1.4.1.1.88.11': 'Basic Text SR',
  '1.2.840.10008.5.1.4.1.1.88.22': 'Enhanced SR',
  '1.2.840.10008.5.1.4.1.1.88.33': 'Comprehensive SR',
  '1.2.840.10008.5.1.4.1.1.88.34': 'Comprehensive 3D SR',
  '1.2.840.10008.5.1.4.1.1.88.59': 'Key Object Selection Document',
  '1.2.840.10008.5.1.4.1.1.11.1': 'Grayscale Softcopy Presentation State',
  '1.2.840.10008.5.1.4.1.1.104.1': 'Encapsulated PDF',
  '1.2.840.10008.5.1.4.1.1.2': 'CT Image',
  '1.2.840.10008.5.1.4.1.1.4': 'MR Image',
  '1.2.840.10008.5.1.4.1.1.66.4': 'Segmentation',
}

export function sopClassName(uid: string): string | undefined {
  return IMAGE_SOP_CLASSES[uid] ?? OTHER_SOP_CLASSES[uid]
}

export function isImageSopClass(uid: string): boolean {
  return IMAGE_SOP_CLASSES[uid] !== undefined
}

/** Comprehensive SR Storage (PS3.4 B.5): what `export sr` writes. */
export const COMPREHENSIVE_SR = '1.2.840.10008.5.1.4.1.1.88.33'
