import type { Registry } from '../commands/index.ts'

const collect = (value: string, previous: string[] = []): string[] => [...previous, value]

/** Registers the model-audit commands: import predictions, eval, gallery (docs/models.md). */
export function registerModelCommands(registry: Registry): void {
  registry
    .global(
      registry.import
        .command('predictions')
        .description("import a model's scores: a wide CSV, one score column per finding")
        .requiredOption(
          '--file <file>',
          'CSV (plain or .gz): an image id column and prob_<Finding> columns',
        )
        .requiredOption('--model <name>', 'the name the model gets')
        .option('--id-column <column>', 'the image id column (default "Image Index" or "Image ID")')
        .option(
          '--prefix <prefix>',
          'prefix of the score columns (default prob_, or none when no column has it)',
        )
        .option('--dataset <name>', 'dataset (needed when there are several)')
        .option('--replace', 'replace the predictions of a model of the same name')
        .option('--skip-bad-rows', 'import the good rows and list the malformed ones'),
    )
    .action(registry.lazy(() => import('./import-predictions.ts'), 'importPredictionsCommand'))

  registry
    .global(
      registry.program
        .command('eval')
        .description(
          'AUC with 95% DeLong intervals per finding, against the original labels or a reader; subgroups and hidden stratification',
        )
        .requiredOption('--model <name>', 'the model')
        .option('--against <truth>', 'original, a reader name, or consensus:A,B', 'original')
        .option(
          '--finding <finding>',
          'a finding (repeatable; default every finding scored)',
          collect,
        )
        .option('--by <key>', 'sex, view, age-band, split or tag:NAME (repeatable)', collect)
        .option('--threshold <rule>', 'youden, sens:0.9 (target sensitivity) or a number', 'youden')
        .option(
          '--compare-original',
          'against a reader: also the original labels on the same images',
        )
        .option('--curves', 'include ROC and precision-recall curve points')
        .option('--bins <n>', 'reliability diagram bins', '10')
        .option('--seed <n>', 'seed of the --compare-original bootstrap', '1')
        .option('--replicates <n>', 'bootstrap resamples of --compare-original', '1000')
        .option('--split <name>', "only this split's films, e.g. test (as papers report)")
        .option('--negatives <from>', 'all labelled negatives, or no-finding films only', 'all')
        .option(
          '--cluster <unit>',
          'patient: AUC intervals with patients as clusters (Obuchowski 1997), not films',
        )
        .option(
          '--population',
          "against a reader: also AUC, sens, spec reweighted by each random audit's design",
        )
        .option('--dataset <name>', 'dataset (needed when several have a model of that name)'),
    )
    .action(registry.lazy(() => import('./eval.ts'), 'evalCommand'))

  registry
    .global(
      registry.program
        .command('gallery')
        .description(
          "a model's true/false positives/negatives at a threshold as seeded review sheets (audits)",
        )
        .requiredOption('--model <name>', 'the model')
        .requiredOption('--finding <finding>', 'the finding')
        .option('--cell <cell>', 'tp, fp, tn or fn (repeatable; default all four)', collect)
        .option('--threshold <rule>', 'youden, sens:0.9 or a number', 'youden')
        .option('--seed <n>', 'a whole number', '1')
        .option('--size <n>', 'images per gallery (a contact sheet is 18)', '18')
        .option('--name <name>', 'audit name (the cell is appended when there are several)')
        .option('--include-missing', 'also draw images that are not on disk')
        .option('--blinded', 'hide the original label from the reader')
        .option('--preview', 'draw and print, create no audit')
        .option('--dataset <name>', 'dataset (needed when several have a model of that name)'),
    )
    .action(registry.lazy(() => import('./gallery.ts'), 'galleryCommand'))
}
