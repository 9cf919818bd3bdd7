import type { Kysely, Migration } from 'kysely'
import type { StoreKind } from '../store.ts'

/** Schema changes of the models area (none yet: the initial schema already holds its tables). */
export function models(_kind: StoreKind): Migration {
  return {
    async up(_db: Kysely<unknown>): Promise<void> {},
  }
}
