import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS, tempStore } from '../../../test-support/temp-store.ts'
import {
  addUser,
  appendActivity,
  assignAudit,
  assignedAuditIds,
  checkLogin,
  createSession,
  endSession,
  ensureReader,
  findSession,
  imageAssignedTo,
  listActivity,
  listUsers,
  setPassword,
  unassignAudit,
  updateUser,
  type Store,
} from './index.ts'
import {
  countRows,
  expireSessions,
  insertAudit,
  insertDataset,
  insertImages,
  tamperActivity,
} from './testing.ts'

const cli = { name: 'cli:test' }

describe.each(DIALECTS)('accounts on %s', (kind) => {
  let store: Store
  let cleanup: () => Promise<void>
  beforeAll(async () => {
    ;({ store, cleanup } = await tempStore(kind))
  })
  afterAll(async () => cleanup())

  it('[A3] stores a scrypt hash, never the password, and checks logins', async () => {
    const u = await addUser(store, {
      name: 'ana',
      role: 'reader',
      password: 'correct horse',
      by: cli,
    })
    expect(u).toMatchObject({ name: 'ana', role: 'reader', disabled: false })
    const rows = await store.db.selectFrom('reader').select('password_hash').execute()
    expect(rows[0]!.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/)
    expect(JSON.stringify(rows)).not.toContain('correct horse')
    expect(await checkLogin(store.db, 'ana', 'correct horse')).toMatchObject({ name: 'ana' })
    expect(await checkLogin(store.db, 'ana', 'wrong horse!')).toBeUndefined()
    expect(await checkLogin(store.db, 'nobody', 'correct horse')).toBeUndefined()
    await expect(
      addUser(store, { name: 'ana', role: 'admin', password: 'another one', by: cli }),
    ).rejects.toThrow(/exists/)
    await expect(
      addUser(store, { name: 'bob', role: 'root', password: 'long enough', by: cli }),
    ).rejects.toThrow(/admin, reader or viewer/)
    await expect(
      addUser(store, { name: 'bob', role: 'reader', password: 'short', by: cli }),
    ).rejects.toThrow(/at least 8/)
  })

  it('[A3] a one-person-mode reader becomes the account; an imported source never does', async () => {
    const before = await ensureReader(store.db, 'carl', 'person')
    const u = await addUser(store, {
      name: 'carl',
      role: 'admin',
      password: 'carl-secret',
      by: cli,
    })
    expect(u.id).toBe(before.id)
    await ensureReader(store.db, 'google', 'imported')
    await expect(
      addUser(store, { name: 'google', role: 'reader', password: 'long enough', by: cli }),
    ).rejects.toThrow(/imported/)
    expect((await listUsers(store.db)).map((x) => x.name)).toEqual(['ana', 'carl'])
  })

  it('[A4] sessions end at logout, on a new password, when disabled and when expired', async () => {
    const ana = (await checkLogin(store.db, 'ana', 'correct horse'))!
    const s = await createSession(store.db, { userId: ana.id, address: '127.0.0.1', hours: 12 })
    const found = await findSession(store.db, s.token)
    expect(found).toMatchObject({ user: { name: 'ana', role: 'reader' }, csrfToken: s.csrfToken })
    expect(await findSession(store.db, `${s.token}x`)).toBeUndefined()
    await endSession(store.db, found!.sessionId)
    expect(await findSession(store.db, s.token)).toBeUndefined()

    const s2 = await createSession(store.db, { userId: ana.id, address: null, hours: 12 })
    await setPassword(store, { name: 'ana', password: 'battery staple', by: cli })
    expect(await findSession(store.db, s2.token)).toBeUndefined()
    expect(await checkLogin(store.db, 'ana', 'correct horse')).toBeUndefined()

    const s3 = await createSession(store.db, { userId: ana.id, address: null, hours: 12 })
    await updateUser(store, { name: 'ana', disabled: true, by: cli })
    expect(await findSession(store.db, s3.token)).toBeUndefined()
    expect(await checkLogin(store.db, 'ana', 'battery staple')).toBeUndefined()
    await updateUser(store, { name: 'ana', disabled: false, by: cli })
    const s4 = await createSession(store.db, { userId: ana.id, address: null, hours: 12 })
    await expireSessions(store.db)
    expect(await findSession(store.db, s4.token)).toBeUndefined()
  })

  it('[A5] assignments give a reader the audit and its films only', async () => {
    const ds = await insertDataset(store.db, { name: 'd' })
    await insertImages(store.db, ds, [
      { name: 'a.png', patient: '1', path: null },
      { name: 'b.png', patient: '2', path: null },
    ])
    const images = await store.db.selectFrom('image').select('id').orderBy('id').execute()
    const finding = await store.db
      .insertInto('finding')
      .values({ dataset_id: ds, name: 'Mass', derived_from: null, position: 0 })
      .returning('id')
      .executeTakeFirstOrThrow()
    const audit = await insertAudit(store.db, {
      datasetId: ds,
      name: 'x',
      seed: '1',
      plan: {},
      items: [{ imageId: images[0]!.id, findingId: finding.id, labelled: 1 }],
    })
    const ana = (await listUsers(store.db)).find((u) => u.name === 'ana')!
    await assignAudit(store, { auditId: audit, userId: ana.id, by: cli })
    await assignAudit(store, { auditId: audit, userId: ana.id, by: cli })
    expect([...(await assignedAuditIds(store.db, ana.id))]).toEqual([audit])
    expect(await imageAssignedTo(store.db, images[0]!.id, ana.id)).toBe(true)
    expect(await imageAssignedTo(store.db, images[1]!.id, ana.id)).toBe(false)
    expect(await unassignAudit(store, { auditId: audit, userId: ana.id, by: cli })).toBe(true)
    expect(await imageAssignedTo(store.db, images[0]!.id, ana.id)).toBe(false)
    const log = await listActivity(store.db, { user: 'cli:test' })
    expect(log.filter((e) => e.action.startsWith('assignment.')).map((e) => e.action)).toEqual([
      'assignment.add',
      'assignment.remove',
    ])
  })

  it('[A9] the activity log is append-only, filtered by user and time', async () => {
    const n = await countRows(store.db, 'activity')
    await appendActivity(store.db, { actor: 'ana', action: 'session.login', address: '10.0.0.1' })
    await expect(tamperActivity(store.db, 'update')).rejects.toThrow(/append-only/)
    await expect(tamperActivity(store.db, 'delete')).rejects.toThrow(/append-only/)
    expect(await countRows(store.db, 'activity')).toBe(n + 1)
    const all = await listActivity(store.db)
    expect(all.map((e) => e.action)).toEqual([
      'user.add',
      'user.add',
      'user.passwd',
      'user.disable',
      'user.enable',
      'assignment.add',
      'assignment.remove',
      'session.login',
    ])
    expect(await listActivity(store.db, { user: 'ana' })).toHaveLength(1)
    expect(await listActivity(store.db, { since: '2999-01-01' })).toHaveLength(0)
    await expect(listActivity(store.db, { since: 'yesterday-ish' })).rejects.toThrow(/not a date/)
  })
})
