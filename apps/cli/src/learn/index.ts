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

  registry
    .global(
      registry.program
        .command('probe')
        .description(
          'a linear probe: L2 logistic regression of a finding on the embeddings, patient-grouped cross-validation, out-of-fold AUC with a DeLong interval',
        )
        .requiredOption('--finding <finding>', 'the finding (labelled or derived, e.g. Opacity)')
        .option('--folds <k>', 'number of patient-grouped folds', '5')
        .option('--seed <n>', 'seed of the folds (and of the shuffle)', '1')
        .option(
          '--shuffle-labels',
          'the null: permute the labels within each training fold (its AUC must sit near 0.5)',
        )
        .option(
          '--negatives <which>',
          'all (every other film) or no-finding (only films without any finding)',
          'all',
        )
        .option('--save-model <name>', 'store the out-of-fold scores as a model of this name')
        .option('--replace', 'with --save-model: replace the scores of a model of that name')
        .option(
          '--model <embedding-model>',
          'the embedding model (default: the one used most recently)',
        )
        .option(
          '--workers <n>',
          'threads fitting the folds (default: one per core, at most the folds)',
        )
        .option('--dataset <name>', 'dataset (needed when there are several)'),
    )
    .action(registry.lazy(() => import('./probe.ts'), 'probeCommand'))

  registry
    .global(
      registry.program
        .command('clusters')
        .description(
          "hidden subgroups: seeded k-means on the embeddings of a finding's films; per cluster the model's sensitivity, the readers' tags and the films, each cluster a review sheet",
        )
        .requiredOption('--finding <finding>', 'the finding whose labelled positives are clustered')
        .requiredOption('--k <k>', 'number of clusters')
        .option('--seed <n>', 'seed of the k-means++ start', '1')
        .option(
          '--negatives <which>',
          'cluster negatives too: all (every other film) or no-finding; then AUC per cluster',
        )
        .option('--model <name>', "a model's scores: its sensitivity (or AUC) per cluster")
        .option(
          '--threshold <t>',
          "the model's operating threshold: youden (default, on every film it scored), sens:0.9 or a number",
        )
        .option(
          '--embedding-model <name>',
          'the embedding model (default: the one used most recently)',
        )
        .option('--reader <name>', 'count the tags of this reader only (default: any reader)')
        .option('--audit <name>', 'open each cluster as a review audit "NAME - cluster c of K"')
        .option('--top <n>', "films per cluster's audit, closest to the centre first (default 18)")
        .option('--blinded', 'with --audit: hide the original label from the reader')
        .option('--dataset <name>', 'dataset (needed when there are several)'),
    )
    .action(registry.lazy(() => import('./clusters.ts'), 'clustersCommand'))
}
