import { sql, type Kysely, type Migration } from 'kysely'
import type { StoreKind } from '../store.ts'

/**
 * Accounts (issue #13): a person reader may hold a password and a role and be disabled;
 * sessions (only a hash of the cookie's token is kept), assignments of audits to readers, and
 * the activity log, which triggers keep append-only on both databases.
 */
export function accounts(kind: StoreKind): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const id = (t: string) =>
        db.schema
          .createTable(t)
          .addColumn('id', kind === 'postgres' ? 'serial' : 'integer', (c) =>
            kind === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
          )
      await db.schema
        .alterTable('reader')
        .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
        .execute()
      await id('session')
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('reader_id', 'integer', (c) => c.notNull().references('reader.id'))
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('ended_at', 'text')
        .addColumn('address', 'text')
        .execute()
      await db.schema
        .createTable('assignment')
        .addColumn('audit_id', 'integer', (c) => c.notNull().references('audit.id'))
        .addColumn('reader_id', 'integer', (c) => c.notNull().references('reader.id'))
        .addColumn('assigned_at', 'text', (c) => c.notNull())
        .addColumn('assigned_by', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('assignment_pk', ['audit_id', 'reader_id'])
        .execute()
      await id('activity')
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'integer')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target', 'text')
        .addColumn('detail', 'text', (c) => c.notNull())
        .addColumn('address', 'text')
        .execute()
      await db.schema.createIndex('activity_at').on('activity').columns(['at', 'id']).execute()
      if (kind === 'sqlite') {
        for (const op of ['UPDATE', 'DELETE'])
          await sql
            .raw(
              `CREATE TRIGGER activity_append_only_${op.toLowerCase()} BEFORE ${op} ON activity BEGIN SELECT RAISE(ABORT, 'the activity log is append-only'); END`,
            )
            .execute(db)
      } else {
        await sql
          .raw(
            `CREATE FUNCTION activity_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'the activity log is append-only'; END $$`,
          )
          .execute(db)
        await sql
          .raw(
            `CREATE TRIGGER activity_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON activity FOR EACH STATEMENT EXECUTE FUNCTION activity_append_only()`,
          )
          .execute(db)
      }
    },
  }
}
