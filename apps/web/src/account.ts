import type { Role } from '@cxr-audit/core'
import { api, HttpError, rememberCsrf } from './api.ts'

/** Who uses the app: the one person of loopback mode, nobody yet (log in), or a user. */
export type Account =
  | { readonly mode: 'local' }
  | { readonly mode: 'login' }
  | { readonly mode: 'user'; readonly user: { id: number; name: string; role: Role } }

/** Asks the server whether accounts are on and whether this browser holds a session. */
export async function loadAccount(): Promise<Account> {
  try {
    const r = await api.session()
    if ('accounts' in r) return { mode: 'local' }
    rememberCsrf(r.csrfToken)
    return { mode: 'user', user: r.user }
  } catch (e) {
    if (e instanceof HttpError && e.status === 401) return { mode: 'login' }
    throw e
  }
}

export async function logIn(name: string, password: string): Promise<Account> {
  const r = await api.login(name, password)
  rememberCsrf(r.csrfToken)
  return { mode: 'user', user: r.user }
}

export async function logOut(): Promise<void> {
  try {
    await api.logout()
  } finally {
    rememberCsrf(null)
  }
}
