import type { Kysely, Migration } from 'kysely'
import type { StoreKind } from '../store.ts'

/** Schema changes of the labels area (none yet: the initial schema already holds its tables). */
export function labels(_kind: StoreKind): Migration {
  return {
    async up(_db: Kysely<unknown>): Promise<void> {},
  }
}
