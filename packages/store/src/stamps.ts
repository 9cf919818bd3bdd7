import type { DatasetListing } from './audit-datasets.ts'
import type { Db } from './store.ts'

/**
 * What a dataset's check depends on (the server caches `cxr-audit check` per dataset): the
 * import, the image counts, the findings (a new derived finding changes the check) and the
 * newest pixel facts. Equal stamps, equal checks.
 */
export async function datasetCheckStamp(db: Db, dataset: DatasetListing): Promise<string> {
  const findings = await db
    .selectFrom('finding')
    .select(['name', 'derived_from'])
    .where('dataset_id', '=', dataset.id)
    .orderBy('id')
    .execute()
  const facts = await db
    .selectFrom('image')
    .select((e) => e.fn.max('facts_at').as('last'))
    .where('dataset_id', '=', dataset.id)
    .executeTakeFirstOrThrow()
  // the reader tags by split [K7] change with every verdict or tag
  const events = await lastEvents(db)
  return [
    dataset.importedAt,
    dataset.images,
    dataset.imagesOnDisk,
    JSON.stringify(findings),
    facts.last,
    events.verdicts,
    events.tags,
  ].join(':')
}

/**
 * What a model evaluation reads (the server caches them): the model's predictions (its source
 * record changes on a replacing import), the dataset's import, the findings, and the newest
 * verdict and tag events. Any new mark or import gives a new stamp.
 */
export async function modelEvalStamp(db: Db, modelId: number): Promise<string> {
  const model = await db
    .selectFrom('model')
    .innerJoin('dataset', 'dataset.id', 'model.dataset_id')
    .select(['model.source', 'model.created_at', 'dataset.imported_at', 'dataset.id as datasetId'])
    .where('model.id', '=', modelId)
    .executeTakeFirst()
  if (model === undefined) return `missing:${modelId}`
  const findings = await db
    .selectFrom('finding')
    .select(['name', 'derived_from'])
    .where('dataset_id', '=', model.datasetId)
    .orderBy('id')
    .execute()
  const events = await lastEvents(db)
  return JSON.stringify([model, findings, events.verdicts, events.tags])
}

/** The newest verdict and tag event ids: any new mark changes them. */
async function lastEvents(db: Db): Promise<{ verdicts: unknown; tags: unknown }> {
  const verdicts = await db
    .selectFrom('verdict_event')
    .select((e) => e.fn.max('id').as('last'))
    .executeTakeFirstOrThrow()
  const tags = await db
    .selectFrom('tag_event')
    .select((e) => e.fn.max('id').as('last'))
    .executeTakeFirstOrThrow()
  return { verdicts: verdicts.last, tags: tags.last }
}
