import type { Registry } from '../commands/index.ts'

/** `cxr-audit worker` and `cxr-audit jobs` (docs/deployment.md). */
export function registerJobCommands(registry: Registry): void {
  const { program, lazy, global } = registry
  global(
    program
      .command('worker')
      .description('take queued batches (thumbnails --queue) from PostgreSQL until stopped')
      .option('--concurrency <n>', 'batches worked on at once by this process (default 1)')
      .option('--jobs <n>', 'images in flight at once within a batch (default: twice the cores)')
      .option('--cache <dir>', 'rendition cache folder (default: the one given to --queue)')
      .option('--exit-when-done', 'stop once no batch is waiting or running'),
  ).action(lazy(() => import('./worker.ts'), 'workerCommand'))
  global(
    program
      .command('jobs')
      .description('progress of the queued work: batches waiting, running, done, failed')
      .option('--dataset <name>', 'dataset whose images to count (needed when there are several)'),
  ).action(lazy(() => import('./status.ts'), 'jobsCommand'))
}
