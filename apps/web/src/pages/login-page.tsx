import { useState } from 'react'
import { HttpError } from '../api.ts'
import { logIn, type Account } from '../account.ts'

/** The login form of accounts mode [A4]: the server says only "wrong name or password". */
export function LoginPage({ onAccount }: { onAccount: (a: Account) => void }) {
  const [name, setName] = useState('')
  const [password, setPassword] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  return (
    <main className="page login-page" data-testid="login-page">
      <form
        className="card login-form"
        onSubmit={(e) => {
          e.preventDefault()
          setBusy(true)
          setError(null)
          logIn(name.trim(), password)
            .then(onAccount)
            .catch((err: unknown) => {
              setPassword('')
              setError(
                err instanceof HttpError && (err.status === 401 || err.status === 429)
                  ? err.message
                  : 'Cannot reach the server.',
              )
            })
            .finally(() => setBusy(false))
        }}
      >
        <h1>Log in to cxr-audit</h1>
        <label>
          Name
          <input
            data-testid="login-name"
            autoComplete="username"
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
          />
        </label>
        <label>
          Password
          <input
            data-testid="login-password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        {error !== null && (
          <p className="error-line" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
        <button type="submit" className="button primary" data-testid="login-submit" disabled={busy}>
          Log in
        </button>
      </form>
    </main>
  )
}
