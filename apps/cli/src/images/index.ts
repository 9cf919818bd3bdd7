import type { Registry } from '../commands/index.ts'

/** `cxr-audit thumbnails` (docs/imaging.md). */
export function registerImageCommands(registry: Registry): void {
  const { program, lazy, global } = registry
  global(
    program
      .command('thumbnails')
      .description('pre-build the thumbnail cache with all cores, and store pixel facts for check')
      .option('--dataset <name>', 'dataset (needed when there are several)')
      .option('--jobs <n>', 'images in flight at once (default: twice the cores and 4)')
      .option('--views', 'also make the full-resolution view of each image')
      .option(
        '--cache <dir>',
        'rendition cache folder (default .cxr-audit/cache beside the database, or $CXR_AUDIT_CACHE)',
      )
      .option('--queue', 'PostgreSQL: queue the work in batches for `cxr-audit worker` processes')
      .option('--batch <n>', 'with --queue: images per batch (default 200)')
      .option(
        '--timeout <seconds>',
        'with --queue: a batch held longer by a worker (killed, cut off) goes to another (default 900)',
      ),
  ).action(lazy(() => import('./thumbnails.ts'), 'thumbnailsCommand'))
}
