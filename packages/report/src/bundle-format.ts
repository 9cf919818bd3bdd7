/** The re-check bundle's manifest (docs/report-bundle.md); read by verify without the rest. */
export const BUNDLE_FORMAT = 'cxr-audit-report-bundle'
export const BUNDLE_VERSION = 1

/** `bundle.json`: what was computed, how, from what (docs/report-bundle.md) [R9]. */
export interface BundleManifest {
  readonly format: typeof BUNDLE_FORMAT
  readonly version: number
  readonly title: string
  readonly generatedAt: string
  readonly dataset: string
  readonly mode: 'audit' | 'reader'
  readonly audit: { id: number; name: string; seed: string; blinded: boolean } | null
  readonly options: {
    /** The reference standard: a reader's name or `consensus:A,B`. */
    readonly reader: string
    /** The readers whose verdicts make it (majority, ties uncertain, when several). */
    readonly readers: readonly string[]
    readonly findings: readonly string[]
    readonly ci: string
    readonly confidence: number
    readonly agreement: {
      readonly readers: readonly string[]
      readonly findings: readonly string[]
      readonly seed: number | string
      readonly replicates: number
      readonly confidence: number
    } | null
    readonly models: readonly {
      model: string
      against: string
      threshold: string
      findings: string[]
    }[]
    /** `report --population` in audit mode: the bootstrap of the population figures [R11]. */
    readonly population?: {
      readonly seed: number
      readonly replicates: number
      readonly confidence: number
    } | null
  }
  readonly inputs: {
    readonly datasetFiles: readonly { role: string; name: string; sha256: string; bytes: number }[]
    readonly labelImports: readonly {
      reader: string
      file: string
      sha256: string
      importedAt: string
    }[]
  }
  readonly versions: Record<string, string>
  /** Each file of the bundle with its SHA-256 (this manifest excepted). */
  readonly files: Record<string, string>
}
