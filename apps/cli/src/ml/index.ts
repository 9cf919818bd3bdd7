import { Option } from 'commander'
import type { Registry } from '../commands/index.ts'

/**
 * The learnability commands (docs/learnability.md). Implementations are imported when a
 * command runs, so that onnxruntime's native library loads only for the commands that need it.
 */
export function registerMlCommands(registry: Registry): void {
  const { program, lazy, global } = registry
  global(
    program
      .command('embed')
      .description('compute one embedding vector per image on disk with an ONNX model')
      .option(
        '--model <file>',
        'an .onnx model with NAME.manifest.json beside it, or the manifest (default: the shipped MobileNetV2)',
      )
      .option('--dataset <name>', 'dataset (needed when there are several)')
      .option('--jobs <n>', 'images decoded at once while the model runs (default: the cores)')
      .addOption(
        new Option('--device <device>', 'onnxruntime execution provider (cuda: NVIDIA GPUs)')
          .choices(['cpu', 'cuda'])
          .default('cpu'),
      )
      .option('--batch-size <n>', 'images per inference call and per committed batch (default 8)')
      .option(
        '--cache <dir>',
        'rendition cache folder, shared with thumbnails (default .cxr-audit/cache beside the database, or $CXR_AUDIT_CACHE)',
      )
      .option('--queue', 'PostgreSQL: queue the work in batches for `cxr-audit worker` processes')
      .option('--batch <n>', 'with --queue: images per queued batch (default 200)')
      .option(
        '--timeout <seconds>',
        'with --queue: a batch held longer by a worker (killed, cut off) goes to another (default 900)',
      ),
  ).action(lazy(() => import('./embed.ts'), 'embedCommand'))
}
