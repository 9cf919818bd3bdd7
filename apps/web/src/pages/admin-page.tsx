import { useState } from 'react'
import { api, type ActivityDto, type AuditDto, type UserDto } from '../api.ts'
import { useLoad } from './use-load.ts'

interface AdminData {
  users: UserDto[]
  audits: AuditDto[]
  activity: ActivityDto[]
}

const load = async (): Promise<AdminData> => {
  const [users, audits, activity] = await Promise.all([api.users(), api.audits(), api.activity({})])
  return { users, audits, activity }
}

const detailText = (e: ActivityDto): string =>
  e.action === 'events'
    ? `${String(e.detail['verdicts'])} verdicts, ${String(e.detail['tags'])} tags`
    : Object.keys(e.detail).length === 0
      ? ''
      : JSON.stringify(e.detail)

/** The admin's page: users, assignments of audits to readers, and the activity log [A5][A9]. */
export function AdminPage() {
  const [version, setVersion] = useState(0)
  const [data] = useLoad(`admin:${version}`, load)
  const [error, setError] = useState<string | null>(null)
  const [auditId, setAuditId] = useState<number | null>(null)
  const [userId, setUserId] = useState<number | null>(null)
  const [newUser, setNewUser] = useState({ name: '', role: 'reader', password: '' })
  if (data.status === 'loading') return <main className="page" data-state="loading" />
  if (data.status === 'error')
    return (
      <main className="page">
        <p className="error-line">{data.error}</p>
      </main>
    )
  const { users, audits, activity } = data.data
  const act = (p: Promise<unknown>) =>
    p
      .then(() => setVersion((v) => v + 1))
      .catch((e: unknown) => setError(String(e instanceof Error ? e.message : e)))
  return (
    <main className="page" data-testid="admin-page" data-state="ready">
      <h1>Administration</h1>
      {error !== null && (
        <p className="error-line" role="alert">
          {error}
        </p>
      )}
      <section className="card">
        <h2>Users</h2>
        <table className="table" data-testid="users">
          <thead>
            <tr>
              <th>Name</th>
              <th>Role</th>
              <th>State</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} data-user={u.name}>
                <td>{u.name}</td>
                <td>{u.role}</td>
                <td>{u.disabled ? 'disabled' : 'active'}</td>
                <td>
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => act(api.updateUser(u.id, { disabled: !u.disabled }))}
                  >
                    {u.disabled ? 'enable' : 'disable'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault()
            act(
              api
                .createUser(newUser)
                .then(() => setNewUser({ name: '', role: 'reader', password: '' })),
            )
          }}
        >
          <input
            aria-label="name"
            placeholder="name"
            data-testid="new-user-name"
            value={newUser.name}
            onChange={(e) => setNewUser({ ...newUser, name: e.target.value })}
          />
          <select
            aria-label="role"
            data-testid="new-user-role"
            value={newUser.role}
            onChange={(e) => setNewUser({ ...newUser, role: e.target.value })}
          >
            <option value="reader">reader</option>
            <option value="viewer">viewer</option>
            <option value="admin">admin</option>
          </select>
          <input
            aria-label="password"
            type="password"
            autoComplete="new-password"
            placeholder="password (8+)"
            data-testid="new-user-password"
            value={newUser.password}
            onChange={(e) => setNewUser({ ...newUser, password: e.target.value })}
          />
          <button type="submit" className="button" data-testid="new-user-submit">
            Add user
          </button>
        </form>
      </section>
      <section className="card">
        <h2>Assign an audit</h2>
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault()
            if (auditId !== null && userId !== null) act(api.assign(auditId, userId, true))
          }}
        >
          <select
            aria-label="audit"
            data-testid="assign-audit"
            value={auditId ?? ''}
            onChange={(e) => setAuditId(Number(e.target.value))}
          >
            <option value="" disabled>
              audit…
            </option>
            {audits.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
                {a.blinded ? ' (blinded)' : ''}
              </option>
            ))}
          </select>
          <select
            aria-label="reader"
            data-testid="assign-user"
            value={userId ?? ''}
            onChange={(e) => setUserId(Number(e.target.value))}
          >
            <option value="" disabled>
              reader…
            </option>
            {users
              .filter((u) => u.role !== 'viewer' && !u.disabled)
              .map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
          </select>
          <button type="submit" className="button" data-testid="assign-submit">
            Assign
          </button>
        </form>
      </section>
      <section className="card">
        <h2>Activity</h2>
        <p className="muted">Append-only: who did what, when, from where (also: cxr-audit log).</p>
        <table className="table" data-testid="activity">
          <thead>
            <tr>
              <th>When</th>
              <th>Who</th>
              <th>What</th>
              <th>On</th>
              <th>From</th>
              <th>Detail</th>
            </tr>
          </thead>
          <tbody>
            {[...activity].reverse().map((e) => (
              <tr key={e.id} data-action={e.action}>
                <td>{new Date(e.at).toLocaleString()}</td>
                <td>{e.actor}</td>
                <td>{e.action}</td>
                <td>{e.target ?? ''}</td>
                <td>{e.address ?? ''}</td>
                <td className="detail">{detailText(e)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </main>
  )
}
