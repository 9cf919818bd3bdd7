import { sql, type Kysely, type Migration } from 'kysely'
import type { StoreKind } from '../store.ts'

/**
 * The learnability lab (docs/SPEC-learn.md [PR7]): one row per `cxr-audit probe` run, so the
 * workbench can show every probe beside its shuffled-label null. The headline numbers are
 * columns (for listing); the whole `--json` report is kept as text. A run outlives the
 * embedding model or saved model it names (their ids are set to null if they go).
 */
export function learn(kind: StoreKind): Migration {
  const real = kind === 'postgres' ? sql`double precision` : sql`real`
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('probe_run')
        .addColumn('id', kind === 'postgres' ? 'serial' : 'integer', (c) =>
          kind === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('dataset_id', 'integer', (c) => c.notNull().references('dataset.id'))
        .addColumn('finding', 'text', (c) => c.notNull())
        .addColumn('embedding_model_id', 'integer', (c) =>
          c.references('embedding_model.id').onDelete('set null'),
        )
        .addColumn('embedding_model', 'text', (c) => c.notNull())
        .addColumn('negatives', 'text', (c) => c.notNull())
        .addColumn('folds', 'integer', (c) => c.notNull())
        .addColumn('seed', 'text', (c) => c.notNull())
        .addColumn('shuffled', 'integer', (c) => c.notNull())
        .addColumn('n', 'integer', (c) => c.notNull())
        .addColumn('positives', 'integer', (c) => c.notNull())
        .addColumn('auc', real, (c) => c.notNull())
        .addColumn('auc_low', real, (c) => c.notNull())
        .addColumn('auc_high', real, (c) => c.notNull())
        .addColumn('train_auc', real)
        .addColumn('model_id', 'integer', (c) => c.references('model.id').onDelete('set null'))
        .addColumn('warning', 'text')
        .addColumn('seconds', real, (c) => c.notNull())
        .addColumn('report', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('probe_run_dataset')
        .on('probe_run')
        .columns(['dataset_id', 'finding'])
        .execute()
    },
  }
}
