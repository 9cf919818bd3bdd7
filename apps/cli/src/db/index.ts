import type { Registry } from '../commands/index.ts'

/** `cxr-audit db copy` (docs/deployment.md). */
export function registerDbCommands(registry: Registry): void {
  const { program, lazy, global } = registry
  const db = program.command('db').description('move a project between databases')
  global(
    db
      .command('copy')
      .description('copy a project between SQLite and PostgreSQL, row counts checked')
      .option('--from <path|url>', 'the database to read (default: --db)')
      .requiredOption('--to <path|url>', 'the database to write: a new SQLite file or PostgreSQL')
      .option('--replace', 'delete what the target holds first (in the same transaction)'),
  ).action(lazy(() => import('./copy.ts'), 'dbCopyCommand'))
}
