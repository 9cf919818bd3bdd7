/**
 * A root that is an http(s) URL is a DICOMweb server; other roots are folders. Kept apart from
 * source.ts, which loads the image decoders: `export sr` asks this and decodes nothing.
 */
export function isDicomwebRoot(root: string): boolean {
  return /^https?:\/\//i.test(root)
}
