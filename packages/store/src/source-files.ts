import { now, type Db, type Tx } from './store.ts'

/** A file a dataset was imported from [R4]. */
export interface SourceFile {
  readonly role: string
  readonly name: string
  readonly sha256: string
  readonly bytes: number
  readonly recordedAt: string
}

/** Records (or replaces, per role) the files of an import, inside its transaction. */
export async function recordSourceFiles(
  tx: Tx,
  datasetId: number,
  files: readonly Omit<SourceFile, 'recordedAt'>[],
): Promise<void> {
  const at = now()
  for (const f of files) {
    const old = await tx
      .selectFrom('source_file')
      .select(['name', 'sha256'])
      .where('dataset_id', '=', datasetId)
      .where('role', '=', f.role)
      .executeTakeFirst()
    // the same file again changes nothing (a re-import leaves the database as it was)
    if (old !== undefined && old.sha256 === f.sha256 && old.name === f.name) continue
    await tx
      .deleteFrom('source_file')
      .where('dataset_id', '=', datasetId)
      .where('role', '=', f.role)
      .execute()
    await tx
      .insertInto('source_file')
      .values({
        dataset_id: datasetId,
        role: f.role,
        name: f.name,
        sha256: f.sha256,
        bytes: f.bytes,
        recorded_at: at,
      })
      .execute()
  }
}

/** The recorded files of a dataset, by role; empty for a dataset imported before 013-report. */
export async function listSourceFiles(db: Db, datasetId: number): Promise<SourceFile[]> {
  const rows = await db
    .selectFrom('source_file')
    .selectAll()
    .where('dataset_id', '=', datasetId)
    .orderBy('role')
    .execute()
  return rows.map((r) => ({
    role: r.role,
    name: r.name,
    sha256: r.sha256,
    // PostgreSQL returns bigint as text
    bytes: Number(r.bytes),
    recordedAt: r.recorded_at,
  }))
}
