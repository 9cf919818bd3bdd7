import type { Role } from '@cxr-audit/core'

/** `POST /api/session` with `{"name", "password"}`. */
export interface LoginBody {
  readonly name: string
  readonly password: string
}

/** The answer of `POST /api/session` (200, with the session cookie) and `GET /api/session`. */
export interface SessionAnswer {
  readonly user: { readonly name: string; readonly role: Role; readonly id: number }
  /** Send it back as header `x-csrf-token` on every write. */
  readonly csrfToken: string
}

/** `GET /api/session` without accounts: the one-person mode (no login). */
export interface NoAccountsAnswer {
  readonly accounts: false
}

export interface UserDto {
  readonly id: number
  readonly name: string
  readonly role: Role
  readonly disabled: boolean
  readonly createdAt: string
}

export interface CreateUserBody {
  readonly name: string
  readonly role: Role
  readonly password: string
}

export interface UpdateUserBody {
  readonly role?: Role
  readonly disabled?: boolean
  readonly password?: string
}

export interface AssignmentDto {
  readonly auditId: number
  readonly userId: number
  readonly user: string
  readonly assignedAt: string
  readonly assignedBy: string
}

/** One line of the activity log (`cxr-audit log --json` prints the same fields). */
export interface ActivityDto {
  readonly id: number
  readonly at: string
  readonly actor: string
  readonly action: string
  readonly target: string | null
  readonly detail: Record<string, unknown>
  readonly address: string | null
}
