/**
 * Accounts and roles (issue #13): `admin` runs the project (datasets, audits, users,
 * assignments), `reader` reviews the audits assigned to them, `viewer` reads results and
 * writes nothing.
 */
export const ROLES = ['admin', 'reader', 'viewer'] as const
export type Role = (typeof ROLES)[number]

export const isRole = (text: string): text is Role => (ROLES as readonly string[]).includes(text)

/**
 * What a route needs, from the most open to the most closed: `open` (logging in), `session`
 * (any logged-in user: who am I, log out), `review` (admins and readers; readers only within
 * their assignments), `results` (admins and viewers), `admin`.
 */
export const ACCESS_LEVELS = ['open', 'session', 'review', 'results', 'admin'] as const
export type Access = (typeof ACCESS_LEVELS)[number]

/** Whether a role may use a route of that access level at all (assignments are checked later). */
export function roleMay(role: Role, access: Access): boolean {
  if (access === 'open' || access === 'session') return true
  if (role === 'admin') return true
  if (access === 'review') return role === 'reader'
  if (access === 'results') return role === 'viewer'
  return false
}

/** Account names: what a person would type, shown on every page and in reports. */
export const ACCOUNT_NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._'@-]{0,59}$/u

/** The reason a name cannot be an account name, or null when it can. */
export function accountNameProblem(name: string): string | null {
  if (name.trim() !== name) return 'a user name cannot start or end with a space'
  if (!ACCOUNT_NAME.test(name))
    return "a user name is 1-60 letters, digits, spaces or . _ ' @ -, starting with a letter or digit"
  return null
}
