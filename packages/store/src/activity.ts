import { StoreError, now, type Db, type Tx } from './store.ts'

/** One line of the activity log: who did what, when, from where. */
export interface ActivityEntry {
  readonly id: number
  readonly at: string
  /** The user's name, `cli:<os user>` for the command line, or `anonymous`. */
  readonly actor: string
  readonly action: string
  readonly target: string | null
  readonly detail: Record<string, unknown>
  /** The client's address for the server; null for the command line. */
  readonly address: string | null
}

export interface ActivityInput {
  readonly actor: string
  readonly actorId?: number | null | undefined
  readonly action: string
  readonly target?: string | null | undefined
  readonly detail?: Record<string, unknown> | undefined
  readonly address?: string | null | undefined
}

/** Who acts: a user of the server (with their address) or the command line. */
export interface Actor {
  readonly name: string
  readonly id?: number | null | undefined
  readonly address?: string | null | undefined
}

/** Appends to the log, inside the caller's transaction when given one. Nothing ever edits it. */
export async function appendActivity(db: Db | Tx, e: ActivityInput): Promise<void> {
  await db
    .insertInto('activity')
    .values({
      at: now(),
      actor: e.actor,
      actor_id: e.actorId ?? null,
      action: e.action,
      target: e.target ?? null,
      detail: JSON.stringify(e.detail ?? {}),
      address: e.address ?? null,
    })
    .execute()
}

/** The log, oldest first: all of it, or one actor's, or since a time (ISO 8601). */
export async function listActivity(
  db: Db,
  o: { user?: string | undefined; since?: string | undefined; limit?: number | undefined } = {},
): Promise<ActivityEntry[]> {
  let q = db
    .selectFrom('activity')
    .select(['id', 'at', 'actor', 'action', 'target', 'detail', 'address'])
  if (o.user !== undefined) q = q.where('actor', '=', o.user)
  if (o.since !== undefined) {
    const t = Date.parse(o.since)
    if (Number.isNaN(t)) throw new StoreError(`since: not a date or time: "${o.since}"`)
    q = q.where('at', '>=', new Date(t).toISOString())
  }
  q = q.orderBy('id', 'asc')
  if (o.limit !== undefined) q = q.limit(o.limit)
  const rows = await q.execute()
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    actor: r.actor,
    action: r.action,
    target: r.target,
    detail: JSON.parse(r.detail) as Record<string, unknown>,
    address: r.address,
  }))
}

/** The actor fields of an activity entry. */
export function activityActor(a: Actor): Pick<ActivityInput, 'actor' | 'actorId' | 'address'> {
  return { actor: a.name, actorId: a.id ?? null, address: a.address ?? null }
}
