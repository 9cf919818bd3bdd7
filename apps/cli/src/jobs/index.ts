import { Option } from 'commander'
import type { Registry } from '../commands/index.ts'

/** `cxr-audit worker` and `cxr-audit jobs` (docs/deployment.md). */
export function registerJobCommands(registry: Registry): void {
  const { program, lazy, global } = registry
  global(
    program
      .command('worker')
      .description(
        'take queued batches (thumbnails --queue, embed --queue) from PostgreSQL until stopped',
      )
      .option('--concurrency <n>', 'batches worked on at once by this process (default 1)')
      .option(
        '--jobs <n>',
        'images in flight at once within a batch (default: for thumbnails twice the cores and 4, for embeddings the cores)',
      )
      .option('--cache <dir>', 'rendition cache folder (default: the one given to --queue)')
      .option('--exit-when-done', 'stop once no batch is waiting or running')
      .option('--queues <list>', 'queues to take batches from (default: thumbnails,embeddings)')
      .option(
        '--model <file>',
        'embeddings: the model file on this machine (default: the one given to embed --queue)',
      )
      .addOption(
        new Option(
          '--device <device>',
          'embeddings: onnxruntime execution provider (default: the one given to embed --queue)',
        ).choices(['cpu', 'cuda']),
      ),
  ).action(lazy(() => import('./worker.ts'), 'workerCommand'))
  global(
    program
      .command('jobs')
      .description('progress of the queued work: batches waiting, running, done, failed')
      .option('--dataset <name>', 'dataset whose images to count (needed when there are several)'),
  ).action(lazy(() => import('./status.ts'), 'jobsCommand'))
}
