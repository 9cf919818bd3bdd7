import { sql, type Kysely, type Migration } from 'kysely'
import type { StoreKind } from '../store.ts'

/**
 * Image embeddings (docs/SPEC-ml.md): one float32 vector per (embedding model, image), as a
 * little-endian BLOB (SQLite) or bytea (PostgreSQL). An embedding model is the ONNX file's
 * SHA-256 together with everything that changes its vectors (manifest, preprocessing version),
 * hashed into `config_hash`, so vectors of different settings never mix.
 */
export function embeddings(kind: StoreKind): Migration {
  const blob = kind === 'postgres' ? sql`bytea` : sql`blob`
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('embedding_model')
        .addColumn('id', kind === 'postgres' ? 'serial' : 'integer', (c) =>
          kind === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('config_hash', 'text', (c) => c.notNull().unique())
        .addColumn('manifest', 'text', (c) => c.notNull())
        .addColumn('dimensions', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createTable('embedding')
        .addColumn('model_id', 'integer', (c) =>
          c.notNull().references('embedding_model.id').onDelete('cascade'),
        )
        // derived data: an image removed by a re-import takes its vectors with it
        .addColumn('image_id', 'integer', (c) =>
          c.notNull().references('image.id').onDelete('cascade'),
        )
        .addColumn('vector', blob, (c) => c.notNull())
        .addColumn('content_hash', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('embedding_pk', ['model_id', 'image_id'])
        .execute()
      await db.schema.createIndex('embedding_image').on('embedding').column('image_id').execute()
    },
  }
}
