// Apart from source.ts so that a command asking only this does not load the imaging code.
/** A root that is an http(s) URL is a DICOMweb server; other roots are folders. */
export function isDicomwebRoot(root: string): boolean {
  return /^https?:\/\//i.test(root)
}
