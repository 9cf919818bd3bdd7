import { appendActivity, type Actor } from './activity.ts'
import { findUserById } from './accounts.ts'
import { StoreError, now, type Db, type Store } from './store.ts'

export interface AssignmentRow {
  readonly auditId: number
  readonly userId: number
  readonly user: string
  readonly assignedAt: string
  readonly assignedBy: string
}

/** Assigns an audit to a reader (again is a no-op). */
export async function assignAudit(
  store: Store,
  o: { auditId: number; userId: number; by: Actor },
): Promise<void> {
  const user = await findUserById(store.db, o.userId)
  if (user === undefined) throw new StoreError(`no user ${o.userId}`)
  if (user.role !== 'reader' && user.role !== 'admin')
    throw new StoreError(`${user.name} is a ${user.role}: only readers and admins review`)
  const audit = await store.db
    .selectFrom('audit')
    .select(['id', 'name'])
    .where('id', '=', o.auditId)
    .executeTakeFirst()
  if (audit === undefined) throw new StoreError(`no audit ${o.auditId}`)
  await store.db.transaction().execute(async (tx) => {
    const r = await tx
      .insertInto('assignment')
      .values({
        audit_id: o.auditId,
        reader_id: o.userId,
        assigned_at: now(),
        assigned_by: o.by.name,
      })
      .onConflict((oc) => oc.columns(['audit_id', 'reader_id']).doNothing())
      .executeTakeFirst()
    if (Number(r.numInsertedOrUpdatedRows ?? 0) > 0)
      await appendActivity(tx, {
        actor: o.by.name,
        actorId: o.by.id,
        address: o.by.address,
        action: 'assignment.add',
        target: `audit ${o.auditId}`,
        detail: { audit: audit.name, user: user.name },
      })
  })
}

/** Takes an audit from a reader; their verdicts stay (nothing a reader did is ever lost). */
export async function unassignAudit(
  store: Store,
  o: { auditId: number; userId: number; by: Actor },
): Promise<boolean> {
  return store.db.transaction().execute(async (tx) => {
    const r = await tx
      .deleteFrom('assignment')
      .where('audit_id', '=', o.auditId)
      .where('reader_id', '=', o.userId)
      .executeTakeFirst()
    const removed = Number(r.numDeletedRows) > 0
    if (removed)
      await appendActivity(tx, {
        actor: o.by.name,
        actorId: o.by.id,
        address: o.by.address,
        action: 'assignment.remove',
        target: `audit ${o.auditId}`,
        detail: { userId: o.userId },
      })
    return removed
  })
}

export async function listAssignments(db: Db, auditId: number): Promise<AssignmentRow[]> {
  const rows = await db
    .selectFrom('assignment as a')
    .innerJoin('reader as r', 'r.id', 'a.reader_id')
    .select(['a.audit_id', 'a.reader_id', 'r.name', 'a.assigned_at', 'a.assigned_by'])
    .where('a.audit_id', '=', auditId)
    .orderBy('r.name')
    .execute()
  return rows.map((r) => ({
    auditId: r.audit_id,
    userId: r.reader_id,
    user: r.name,
    assignedAt: r.assigned_at,
    assignedBy: r.assigned_by,
  }))
}

/** The ids of the audits assigned to a reader. */
export async function assignedAuditIds(db: Db, userId: number): Promise<Set<number>> {
  const rows = await db
    .selectFrom('assignment')
    .select('audit_id')
    .where('reader_id', '=', userId)
    .execute()
  return new Set(rows.map((r) => r.audit_id))
}

/** Whether an image is in one of the reader's audits (the only films a reader may open). */
export async function imageAssignedTo(db: Db, imageId: number, userId: number): Promise<boolean> {
  const r = await db
    .selectFrom('audit_item as i')
    .innerJoin('assignment as a', 'a.audit_id', 'i.audit_id')
    .select('i.audit_id')
    .where('i.image_id', '=', imageId)
    .where('a.reader_id', '=', userId)
    .limit(1)
    .executeTakeFirst()
  return r !== undefined
}
