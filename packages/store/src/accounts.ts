import { accountNameProblem, isRole, type Role } from '@cxr-audit/core'
import { createHash, randomBytes } from 'node:crypto'
import { appendActivity, type Actor } from './activity.ts'
import { DECOY_HASH, hashPassword, verifyPassword } from './passwords.ts'
import { StoreError, now, type Db, type Store } from './store.ts'

/** An account: a person reader with a password and a role. */
export interface UserRow {
  readonly id: number
  readonly name: string
  readonly role: Role
  readonly disabled: boolean
  readonly createdAt: string
}

/** Who a valid session belongs to. */
export interface SessionUser {
  readonly sessionId: number
  readonly user: { readonly id: number; readonly name: string; readonly role: Role }
  readonly csrfToken: string
}

const MIN_PASSWORD = 8

function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD)
    throw new StoreError(`a password needs at least ${MIN_PASSWORD} characters`)
  if (password.length > 1024) throw new StoreError('a password has at most 1024 characters')
}

const toUser = (r: {
  id: number
  name: string
  role: string | null
  disabled: number
  created_at: string
}): UserRow => ({
  id: r.id,
  name: r.name,
  role: r.role as Role,
  disabled: r.disabled === 1,
  createdAt: r.created_at,
})

const userColumns = ['id', 'name', 'role', 'disabled', 'created_at'] as const

/** The accounts, by name (readers without a password are not accounts). */
export async function listUsers(db: Db): Promise<UserRow[]> {
  const rows = await db
    .selectFrom('reader')
    .select(userColumns)
    .where('password_hash', 'is not', null)
    .orderBy('name')
    .execute()
  return rows.map(toUser)
}

export async function findUser(db: Db, name: string): Promise<UserRow | undefined> {
  const r = await db
    .selectFrom('reader')
    .select(userColumns)
    .where('name', '=', name)
    .where('password_hash', 'is not', null)
    .executeTakeFirst()
  return r === undefined ? undefined : toUser(r)
}

export async function findUserById(db: Db, id: number): Promise<UserRow | undefined> {
  const r = await db
    .selectFrom('reader')
    .select(userColumns)
    .where('id', '=', id)
    .where('password_hash', 'is not', null)
    .executeTakeFirst()
  return r === undefined ? undefined : toUser(r)
}

async function requireUser(db: Db, name: string): Promise<UserRow> {
  const u = await findUser(db, name)
  if (u === undefined) throw new StoreError(`no user "${name}"`)
  return u
}

/**
 * A new account. A person who already reviewed in one-person mode (a reader of that name
 * without a password) becomes the account, keeping every verdict; an imported label source
 * never does.
 */
export async function addUser(
  store: Store,
  o: { name: string; role: string; password: string; by: Actor },
): Promise<UserRow> {
  const problem = accountNameProblem(o.name)
  if (problem !== null) throw new StoreError(problem)
  if (!isRole(o.role)) throw new StoreError(`role: admin, reader or viewer, not "${o.role}"`)
  checkPassword(o.password)
  const hash = await hashPassword(o.password)
  return store.db.transaction().execute(async (tx) => {
    const existing = await tx
      .selectFrom('reader')
      .select(['id', 'kind', 'password_hash'])
      .where('name', '=', o.name)
      .executeTakeFirst()
    if (existing?.kind === 'imported')
      throw new StoreError(`"${o.name}" is an imported label source, not a person`)
    if (existing?.password_hash !== null && existing !== undefined)
      throw new StoreError(`the user "${o.name}" exists (change the password with user passwd)`)
    if (existing === undefined)
      await tx
        .insertInto('reader')
        .values({
          name: o.name,
          kind: 'person',
          created_at: now(),
          password_hash: hash,
          role: o.role,
        })
        .execute()
    else
      await tx
        .updateTable('reader')
        .set({ password_hash: hash, role: o.role, disabled: 0 })
        .where('id', '=', existing.id)
        .execute()
    await appendActivity(tx, {
      actor: o.by.name,
      actorId: o.by.id,
      address: o.by.address,
      action: 'user.add',
      target: o.name,
      detail: { role: o.role, readerBefore: existing !== undefined },
    })
    const row = await tx
      .selectFrom('reader')
      .select(userColumns)
      .where('name', '=', o.name)
      .executeTakeFirstOrThrow()
    return toUser(row)
  })
}

/** A new password; every session of the user ends (a stolen cookie dies with the old password). */
export async function setPassword(
  store: Store,
  o: { name: string; password: string; by: Actor },
): Promise<UserRow> {
  const user = await requireUser(store.db, o.name)
  checkPassword(o.password)
  const hash = await hashPassword(o.password)
  await store.db.transaction().execute(async (tx) => {
    await tx.updateTable('reader').set({ password_hash: hash }).where('id', '=', user.id).execute()
    await tx
      .updateTable('session')
      .set({ ended_at: now() })
      .where('reader_id', '=', user.id)
      .where('ended_at', 'is', null)
      .execute()
    await appendActivity(tx, {
      actor: o.by.name,
      actorId: o.by.id,
      address: o.by.address,
      action: 'user.passwd',
      target: o.name,
    })
  })
  return user
}

/** Changes an account's role or disables/enables it; disabling ends its sessions. */
export async function updateUser(
  store: Store,
  o: { name: string; role?: string | undefined; disabled?: boolean | undefined; by: Actor },
): Promise<UserRow> {
  const user = await requireUser(store.db, o.name)
  if (o.role !== undefined && !isRole(o.role))
    throw new StoreError(`role: admin, reader or viewer, not "${o.role}"`)
  await store.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('reader')
      .set({
        ...(o.role === undefined ? {} : { role: o.role }),
        ...(o.disabled === undefined ? {} : { disabled: o.disabled ? 1 : 0 }),
      })
      .where('id', '=', user.id)
      .execute()
    if (o.disabled === true || (o.role !== undefined && o.role !== user.role))
      await tx
        .updateTable('session')
        .set({ ended_at: now() })
        .where('reader_id', '=', user.id)
        .where('ended_at', 'is', null)
        .execute()
    const action =
      o.disabled === true ? 'user.disable' : o.disabled === false ? 'user.enable' : 'user.role'
    await appendActivity(tx, {
      actor: o.by.name,
      actorId: o.by.id,
      address: o.by.address,
      action,
      target: o.name,
      detail: { ...(o.role === undefined ? {} : { role: o.role, was: user.role }) },
    })
  })
  return (await findUserById(store.db, user.id))!
}

/**
 * The user if the name and password match an enabled account, else undefined; an unknown name
 * costs one scrypt like a known one, so timing does not tell which names exist.
 */
export async function checkLogin(
  db: Db,
  name: string,
  password: string,
): Promise<UserRow | undefined> {
  const r = await db
    .selectFrom('reader')
    .select([...userColumns, 'password_hash'])
    .where('name', '=', name)
    .where('password_hash', 'is not', null)
    .executeTakeFirst()
  const ok = await verifyPassword(password, r?.password_hash ?? DECOY_HASH)
  if (r === undefined || !ok || r.disabled === 1 || r.role === null) return undefined
  return toUser(r)
}

const sha256 = (token: string): string => createHash('sha256').update(token).digest('hex')

/** A new session: the token goes in the cookie, only its hash in the database. */
export async function createSession(
  db: Db,
  o: { userId: number; address: string | null; hours: number },
): Promise<{ token: string; csrfToken: string; expiresAt: string }> {
  const token = randomBytes(32).toString('base64url')
  const csrfToken = randomBytes(32).toString('base64url')
  const created = new Date()
  const expiresAt = new Date(created.getTime() + o.hours * 3600_000).toISOString()
  await db
    .insertInto('session')
    .values({
      token_hash: sha256(token),
      reader_id: o.userId,
      csrf_token: csrfToken,
      created_at: created.toISOString(),
      expires_at: expiresAt,
      ended_at: null,
      address: o.address,
    })
    .execute()
  return { token, csrfToken, expiresAt }
}

/** The session of a cookie's token while it lasts and its user is enabled; else undefined. */
export async function findSession(db: Db, token: string): Promise<SessionUser | undefined> {
  const r = await db
    .selectFrom('session as s')
    .innerJoin('reader as r', 'r.id', 's.reader_id')
    .select([
      's.id as sid',
      's.csrf_token',
      's.expires_at',
      'r.id',
      'r.name',
      'r.role',
      'r.disabled',
    ])
    .where('s.token_hash', '=', sha256(token))
    .where('s.ended_at', 'is', null)
    .where('r.password_hash', 'is not', null)
    .executeTakeFirst()
  if (r === undefined || r.disabled === 1 || r.role === null || !isRole(r.role)) return undefined
  if (r.expires_at <= now()) return undefined
  return {
    sessionId: r.sid,
    user: { id: r.id, name: r.name, role: r.role },
    csrfToken: r.csrf_token,
  }
}

/** Ends a session (log out): its cookie is worthless from now on, even replayed. */
export async function endSession(db: Db, sessionId: number): Promise<void> {
  await db
    .updateTable('session')
    .set({ ended_at: now() })
    .where('id', '=', sessionId)
    .where('ended_at', 'is', null)
    .execute()
}
