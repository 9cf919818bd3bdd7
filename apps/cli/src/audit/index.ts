import type { Registry } from '../commands/index.ts'

const collect = (value: string, previous: string[] = []): string[] => [...previous, value]

/** `cxr-audit audit create|list|show|plan` and `cxr-audit serve` (docs/SPEC-workbench.md). */
export function registerAuditCommands(registry: Registry): void {
  const { program, lazy, global } = registry
  const audit = program.command('audit').description('draw review samples and plan their size')

  global(
    audit
      .command('create')
      .description('draw a seeded, reproducible sample of images per finding to review')
      .requiredOption('--name <name>', 'name of the audit')
      .requiredOption('--finding <names...>', 'findings to audit (repeatable), e.g. Pneumothorax')
      .option('--positives <k>', 'labelled positives per finding', '100')
      .option('--negatives <k>', 'labelled negatives per finding', '0')
      .option('--negatives-from <from>', 'all labelled negatives, or no-finding films only', 'all')
      .option('--seed <integer>', 'seed of the draw (a whole number; random when not given)')
      .option('--filter <key=value>', 'view=PA, sex=F, split=test, age=18-65 (repeatable)', collect)
      .option('--split <split>', 'only images of this split (same as --filter split=...)')
      .option('--blinded', 'readers do not see the original label; positives and negatives mixed')
      .option('--all-per-patient', 'allow several images of one patient (default: one)')
      .option('--tag <tag>', 'a tag readers can set, keys 1-9 (repeatable; default set)', collect)
      .option('--dataset <name>', 'dataset (needed when there are several)'),
  ).action(lazy(() => import('./create.ts'), 'auditCreateCommand'))

  global(
    audit
      .command('list')
      .description('the audits, their findings, sizes and seeds')
      .option('--dataset <name>', 'only the audits of this dataset'),
  ).action(lazy(() => import('./create.ts'), 'auditListCommand'))

  global(
    audit
      .command('show')
      .description('an audit (id or name) and how it was drawn: strata, sizes, seed, weights')
      .argument('<audit>', 'the audit id or name')
      .option('--dataset <name>', 'the dataset of the audit (when names repeat)'),
  ).action(lazy(() => import('./show.ts'), 'auditShowCommand'))

  global(
    audit
      .command('plan')
      .description(
        'how many images give a 95% Wilson interval of a given half-width, or the reverse',
      )
      .requiredOption('--expected <p>', 'the expected proportion, e.g. 0.8 (or 80%)')
      .option('--half-width <w>', 'the wanted half-width, e.g. 0.05 (or 5%)')
      .option('--n <images>', 'the number of images: gives the half-width instead')
      .option('--confidence <c>', 'confidence level', '0.95'),
  ).action(lazy(() => import('./plan.ts'), 'auditPlanCommand'))

  global(
    program
      .command('serve')
      .description('serve the review workbench in the browser (127.0.0.1)')
      .option('--port <port>', 'port (default $PORT or 8417)')
      .option('--host <host>', 'address to listen on', '127.0.0.1')
      .option('--cache <dir>', 'rendition cache folder (default .cxr-audit/cache beside the db)')
      .option('--accounts', 'require logins (cxr-audit user add); needed on any host but loopback')
      .option(
        '--trust-proxy',
        'behind a TLS proxy: use X-Forwarded-For/-Proto (client address, Secure cookie)',
      ),
  ).action(lazy(() => import('./serve.ts'), 'serveCommand'))
}
