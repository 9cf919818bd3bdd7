import type { Registry } from '../commands/index.ts'

const collect = (value: string, previous: string[] = []): string[] => [...previous, value]

const collectModels = (value: string, previous: string[] = []): string[] => [...previous, value]

/** Registers the labels commands: import labels, stats labels/agreement, export labels, report. */
export function registerLabelCommands(registry: Registry): void {
  registry
    .global(
      registry.import
        .command('labels')
        .description(
          'import expert labels (a wide or long CSV) as one reader or one per reader column value',
        )
        .requiredOption('--file <file>', "CSV (plain or .gz), e.g. Google's validation_labels.csv")
        .requiredOption(
          '--reader <name>',
          'the reader the verdicts belong to (prefix with --reader-column)',
        )
        .option('--reader-column <column>', 'each value becomes its own reader NAME:<value>')
        .option('--id-column <column>', 'the image id column (default "Image Index" or "Image ID")')
        .option(
          '--map <column=finding>',
          "a column's finding, e.g. 'Nodule or mass=Nodule/Mass' (repeatable)",
          collect,
        )
        .option('--append', 'allow adding the verdicts to a reader who is a person')
        .option('--dataset <name>', 'dataset (needed when there are several)')
        .option('--skip-bad-rows', 'import the good rows and list the malformed ones'),
    )
    .action(registry.lazy(() => import('./import-labels.ts'), 'importLabelsCommand'))

  registry
    .global(
      registry.stats
        .command('labels')
        .description(
          'label accuracy: PPV, NPV, sensitivity, specificity of the original labels against a reader',
        )
        .option('--reader <name>', 'a reader, or consensus:A,B,C (majority, ties uncertain)')
        .option(
          '--finding <finding>',
          'a finding (repeatable; default every finding judged)',
          collect,
        )
        .option('--ci <method>', 'wilson or clopper-pearson', 'wilson')
        .option('--by <key>', 'view, sex, age-band, split or tag:NAME, with a test of difference')
        .option('--audit <id>', "only this audit's sample and verdicts")
        .option(
          '--population',
          'also estimate for the whole dataset: random audits reweighted by their design',
        )
        .option('--seed <n>', 'seed of the --population bootstrap', '1')
        .option('--replicates <n>', 'resamples of the --population bootstrap', '2000')
        .option('--dataset <name>', 'dataset (needed when there are several)'),
    )
    .action(registry.lazy(() => import('./stats-labels.ts'), 'statsLabelsCommand'))

  registry
    .global(
      registry.stats
        .command('agreement')
        .description("reader agreement: Fleiss' and Cohen's kappa with bootstrap intervals")
        .option('--readers <names>', 'comma-separated reader names')
        .option(
          '--reader-prefix <prefix>',
          'every reader whose name starts with this, e.g. google:',
        )
        .option(
          '--finding <finding>',
          'a finding (repeatable; default every finding judged)',
          collect,
        )
        .option('--seed <seed>', 'bootstrap seed', '1')
        .option('--replicates <n>', 'bootstrap resamples', '1000')
        .option('--pairs', "print Cohen's kappa of every pair of readers")
        .option('--audit <id>', "only this audit's verdicts")
        .option('--dataset <name>', 'dataset (needed when there are several)'),
    )
    .action(registry.lazy(() => import('./stats-agreement.ts'), 'statsAgreementCommand'))

  registry
    .global(
      registry.stats
        .command('reading')
        .description(
          'reading conditions of an audit: median seconds per film, films per hour, viewer use, window presets',
        )
        .requiredOption('--audit <id>', 'the audit'),
    )
    .action(registry.lazy(() => import('./stats-reading.ts'), 'statsReadingCommand'))

  registry
    .global(
      registry.export
        .command('labels')
        .description(
          "write a reader's (or a consensus') labels: CXR14 metadata relabelled, or one row per verdict",
        )
        .option('--reader <name>', 'a reader, or consensus:A,B,C: every verdict applies')
        .option(
          '--filtered <reader>',
          'instead of --reader: only the label-issue flags this reader confirmed wrong are corrected (changes listed in OUT.changes.csv)',
        )
        .requiredOption('--out <file>', 'the CSV to write')
        .option(
          '--format <format>',
          'cxr14 (Data_Entry with Finding Labels rewritten; ChestX-ray14 findings only) or long (default for other datasets)',
        )
        .option('--dataset <name>', 'dataset (needed when there are several)'),
    )
    .action(registry.lazy(() => import('./export-labels.ts'), 'exportLabelsCommand'))

  registry
    .global(
      registry.program
        .command('report')
        .description(
          'the audit report: accuracy, forest plot, agreement, contact sheets, cohort (HTML or PDF)',
        )
        .option('--audit <id>', 'an audit: its sample, seed and readers')
        .option('--reader <name>', 'a reader or consensus:A,B,C (instead of --audit)')
        .option('--out <file>', 'FILE.html or FILE.pdf (printed by Chromium)')
        .option('--paper <size>', 'PDF paper: a4 or letter (portrait)', 'a4')
        .option('--methods', 'print the methods section as text on stdout')
        .option('--bundle <dir>', 'write the re-check bundle (CSV/JSON, tables, report) into DIR')
        .option(
          '--model <name>',
          'a model to evaluate in the report (repeat or comma-separate)',
          collectModels,
        )
        .option('--threshold <rule>', "the models' operating point: youden, sens:0.9 or a number")
        .option('--agreement-readers <names>', 'readers of the agreement table (comma-separated)')
        .option('--agreement-prefix <prefix>', 'every reader whose name starts with this')
        .option('--ci <method>', 'wilson or clopper-pearson', 'wilson')
        .option('--seed <seed>', 'bootstrap seed of the agreement intervals', '1')
        .option('--replicates <n>', 'bootstrap resamples', '1000')
        .option(
          '--population',
          "population estimates from the audit's design (bootstrap: --seed, --replicates)",
        )
        .option('--max-cases <n>', 'red and orange cases shown per finding and colour', '36')
        .option('--no-thumbnails', 'list the cases without embedding thumbnails')
        .option('--dataset <name>', 'dataset (needed when there are several)'),
    )
    .action(registry.lazy(() => import('./report.ts'), 'reportCommand'))

  registry
    .global(
      registry.program
        .command('verify-report')
        .description(
          'recompute every figure of a report bundle from its files alone; exit 1 listing differences',
        )
        .argument('<dir>', 'the folder `report --bundle DIR` wrote'),
    )
    .action(registry.lazy(() => import('./verify-report.ts'), 'verifyReportCommand'))
}
