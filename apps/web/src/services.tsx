import { createContext, useContext, useSyncExternalStore } from 'react'
import type { Account } from './account.ts'
import type { ReaderDto } from './api.ts'
import type { MarkLedger } from './outbox/ledger.ts'
import type { ReadingLog } from './reading-log.ts'
import type { Outbox, OutboxSnapshot } from './outbox/outbox.ts'

/** What the pages share, made once in main.tsx (no module-level singletons). */
export interface Services {
  readonly outbox: Outbox
  readonly ledger: MarkLedger
  /** Page shown, viewer and preset events for the reading conditions [W35]. */
  readonly readingLog: ReadingLog
  readonly reader: ReaderDto | null
  /** One-person mode, or the logged-in user (accounts mode). */
  readonly account: Account
  setReader(reader: ReaderDto | null): void
  newId(): string
}

export const ServicesContext = createContext<Services | null>(null)

export function useServices(): Services {
  const s = useContext(ServicesContext)
  if (s === null) throw new Error('useServices outside ServicesContext')
  return s
}

export function useOutbox(): OutboxSnapshot {
  const { outbox } = useServices()
  return useSyncExternalStore(outbox.subscribe, outbox.snapshot)
}

/** A random id for an event: 32 hex digits. */
export function newEventId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID().replaceAll('-', '')
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')
}
