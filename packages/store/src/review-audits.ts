import { DEFAULT_TAGS, normaliseTags } from '@cxr-audit/core'
import { StoreError, now, type Store, type Tx } from './store.ts'

/** An audit made from a ranked or drawn list (a model's error gallery, label issues). */
export interface ReviewAuditInput {
  readonly datasetId: number
  readonly name: string
  readonly seed: number
  /** The plan JSON: the fields every workbench plan has, then the kind's own block. */
  readonly plan: object
  readonly blinded: boolean
  /** The tag set; the workbench's default set when not given. */
  readonly tags?: readonly string[] | undefined
  /** In position order; `labelled` is the original label shown to the reader. */
  readonly items: readonly { imageId: number; findingId: number; labelled: number }[]
  /** Whether the plan of an audit already stored under this name is the same request. */
  readonly isSame: (storedPlan: unknown) => boolean
  /** The option the user changes to pick another name (for the refusal). */
  readonly nameOption: string
}

/**
 * Stores the audit and its items inside the caller's transaction. An audit of the same name
 * and dataset holding the same request is returned as it is (created: false); one holding
 * another request is refused.
 */
export async function storeReviewAudit(
  store: Store,
  tx: Tx,
  a: ReviewAuditInput,
): Promise<{ id: number; name: string; created: boolean }> {
  const existing = await tx
    .selectFrom('audit')
    .select(['id', 'plan'])
    .where('dataset_id', '=', a.datasetId)
    .where('name', '=', a.name)
    .executeTakeFirst()
  if (existing !== undefined) {
    if (a.isSame(JSON.parse(existing.plan)))
      return { id: existing.id, name: a.name, created: false }
    throw new StoreError(
      `an audit named "${a.name}" already exists: choose another ${a.nameOption}`,
    )
  }
  const row = await tx
    .insertInto('audit')
    .values({
      dataset_id: a.datasetId,
      name: a.name,
      seed: String(a.seed),
      plan: JSON.stringify(a.plan),
      blinded: a.blinded ? 1 : 0,
      tag_set: JSON.stringify(normaliseTags(a.tags ?? DEFAULT_TAGS)),
      created_at: now(),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await store.bulkInsert(
    tx,
    'audit_item',
    ['audit_id', 'position', 'image_id', 'finding_id', 'labelled'],
    a.items.map((im, position) => [row.id, position, im.imageId, im.findingId, im.labelled]),
  )
  return { id: row.id, name: a.name, created: true }
}
