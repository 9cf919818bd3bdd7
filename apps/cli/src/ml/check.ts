import type { Problem } from '@cxr-audit/core'
import type { EmbeddingDuplicates } from '@cxr-audit/ml'
import { embeddingModelsOf, loadEmbeddings, type DatasetRow, type Db } from '@cxr-audit/store'
import { UsageError } from '../errors.ts'

export type EmbeddingCheck = EmbeddingDuplicates

/**
 * The `check` addition: near-duplicates by embedding, only when `embed` has stored vectors for
 * the dataset (the model used most recently). onnxruntime loads only then.
 */
export async function embeddingCheck(
  db: Db,
  dataset: DatasetRow,
  threshold: string | undefined,
  onProgress?: (done: number, total: number) => void,
): Promise<{ duplicates: EmbeddingDuplicates; problems: Problem[] } | null> {
  const t = threshold === undefined ? undefined : Number(threshold)
  if (t !== undefined && !(Number.isFinite(t) && t > 0 && t <= 1)) {
    throw new UsageError(
      `--cosine-threshold must be a number above 0 and at most 1, not "${threshold}"`,
    )
  }
  const [model] = await embeddingModelsOf(db, dataset.id)
  if (model === undefined) return null
  const { embeddingDuplicates } = await import('@cxr-audit/ml')
  return embeddingDuplicates(await loadEmbeddings(db, dataset.id, model), t, onProgress)
}

export function renderEmbeddingCheck(d: EmbeddingDuplicates | undefined): string {
  if (d === undefined)
    return 'Near-duplicates by embedding: none computed (run cxr-audit embed first).'
  return (
    `Near-duplicates by embedding (${d.model}, ${d.images} images, centred cosine >= ${d.threshold}): ` +
    `${d.pairs} pairs, ${d.withinPatient} within a patient, ${d.acrossPatients} across patients, ` +
    `${d.acrossSplits} across splits.`
  )
}
