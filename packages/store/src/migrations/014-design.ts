import type { Kysely, Migration } from 'kysely'
import type { StoreKind } from '../store.ts'

/**
 * The sampling design of an audit (#11 item 7, [W38]): each drawn film's inclusion probability
 * in its stratum, written when the audit is drawn, so population estimates reweight by its
 * inverse (Horvitz-Thompson). Null for films not drawn at random (label-issue audits, error
 * galleries, cluster audits) and for audits drawn before this migration; their design is
 * derived from the stored plan where it allows (decision 031).
 */
export function design(_kind: StoreKind): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('audit_item').addColumn('inclusion', 'double precision').execute()
    },
  }
}
