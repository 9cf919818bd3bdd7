import type { Registry } from '../commands/index.ts'
import type { LabelIssuesCliOptions } from './label-issues.ts'

const collect = (value: string, previous: string[] = []): string[] => [...previous, value]

/**
 * Registers the learnability commands (docs/learnability.md). Implementations are imported
 * when a command runs, so they cost nothing at start-up.
 */
export function registerLearnCommands(registry: Registry): void {
  registry
    .global(
      registry.program
        .command('label-issues')
        .description(
          "likely errors in the dataset's labels, by confident learning on a model's out-of-sample scores; the top ones as a review audit",
        )
        .requiredOption(
          '--model <name>',
          'the model whose scores are used (out of sample: images it was not trained on)',
        )
        .option(
          '--finding <finding>',
          'a finding (repeatable; default every finding the model scores)',
          collect,
        )
        .option(
          '--filter <filter>',
          'prune_by_noise_rate, prune_by_class, both, confident_learning or predicted_neq_given',
          'prune_by_noise_rate',
        )
        .option('--rank <rank>', 'self_confidence or normalized_margin', 'self_confidence')
        .option(
          '--audit <name>',
          'open the top issues of each finding as a review audit of this name',
        )
        .option('--top <k>', 'issues per finding in the audit (with --audit)')
        .option('--on-disk', 'take the top issues among the images on disk only')
        .option('--blinded', 'hide the original label from the reader in the audit')
        .option('--dataset <name>', 'dataset (needed when several have a model of that name)'),
    )
    .action(
      registry.action(async (ctx, o: LabelIssuesCliOptions) => {
        const { labelIssuesCommand } = await import('./label-issues.ts')
        return labelIssuesCommand(ctx, o)
      }),
    )
}
