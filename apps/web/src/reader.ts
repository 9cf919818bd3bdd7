import { api } from './api.ts'
import type { ReaderDto } from './api.ts'

const KEY = 'cxr-audit:reader'

/** The reader of this browser, given once on the first visit (local mode: a name, no password). */
export function storedReader(storage: Storage = localStorage): ReaderDto | null {
  try {
    const raw = storage.getItem(KEY)
    if (raw === null) return null
    const r = JSON.parse(raw) as Partial<ReaderDto>
    return typeof r.id === 'number' && typeof r.name === 'string'
      ? { id: r.id, name: r.name }
      : null
  } catch {
    return null
  }
}

export async function registerReader(
  name: string,
  storage: Storage = localStorage,
): Promise<ReaderDto> {
  const reader = await api.registerReader(name)
  storage.setItem(KEY, JSON.stringify(reader))
  return reader
}

export function forgetReader(storage: Storage = localStorage): void {
  storage.removeItem(KEY)
}
