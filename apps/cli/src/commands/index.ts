import type { Command } from 'commander'
import type { Context } from '../context.ts'
import { cxr14StreamOptions, type ImportCxr14Options } from './import-cxr14-options.ts'
import { registerAuditCommands } from '../audit/index.ts'
import { registerImageCommands } from '../images/index.ts'
import { registerLabelCommands } from '../labels/index.ts'
import { registerModelCommands } from '../models/index.ts'
import { registerMlCommands } from '../ml/index.ts'
import { registerPacsCommands } from '../dicomweb/index.ts'
import { registerLearnCommands } from '../learn/index.ts'
import { registerDatasetCommands } from '../datasets/index.ts'
import { registerAccountCommands } from '../accounts/index.ts'
import { registerDbCommands } from '../db/index.ts'
import { registerJobCommands } from '../jobs/index.ts'

/** What each area's register function gets: the program, the shared groups, the wrappers. */
export interface Registry {
  readonly program: Command
  /** `cxr-audit import ...` */
  readonly import: Command
  /** `cxr-audit stats ...` */
  readonly stats: Command
  /** `cxr-audit export ...` */
  readonly export: Command
  readonly action: Action
  /**
   * The action of a command whose code loads only when it runs:
   * `.action(registry.lazy(() => import('./eval.ts'), 'evalCommand'))`. Use it for every command,
   * so that `--help` and the other commands do not load its dependencies (docs/decisions/007).
   */
  readonly lazy: Lazy
  /** Adds --db and --json to a leaf command. */
  readonly global: (c: Command) => Command
}

export type Action = <A extends unknown[]>(
  run: (ctx: Context, ...args: A) => Promise<unknown>,
) => (...args: unknown[]) => Promise<void>

/** A command's implementation: the context, then commander's arguments and options. */
export type Run = (ctx: Context, ...args: never[]) => Promise<unknown>

export type Lazy = <K extends string, M extends Record<K, Run>>(
  load: () => Promise<M>,
  name: K,
) => (...args: unknown[]) => Promise<void>

/** Wraps `action` so that the command's module is imported when the command runs. */
export function lazyAction(action: Action): Lazy {
  return (load, name) =>
    action(async (ctx: Context, ...args: unknown[]) => {
      const run = (await load())[name] as unknown as (
        ctx: Context,
        ...args: unknown[]
      ) => Promise<unknown>
      return run(ctx, ...args)
    })
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value]

/**
 * Every command of the CLI. Each command file stays small; this only wires names to them, and
 * imports none of them: each is loaded when it runs (`lazy`).
 */
export function registerCommands(
  program: Command,
  action: Action,
  global: (c: Command) => Command,
): void {
  const lazy = lazyAction(action)
  const importCmd = program.command('import').description('import a dataset, labels or predictions')
  global(
    importCmd
      .command('cxr14')
      .description('import NIH ChestX-ray14: metadata, boxes, split lists and image folders')
      .requiredOption(
        '--metadata <file>',
        'Data_Entry_2017.csv or Data_Entry_2017_v2020.csv (plain or .gz)',
      )
      .option('--bbox <file>', 'BBox_List_2017.csv')
      .option('--images <dir>', 'an image folder, scanned recursively (repeatable)', collect)
      .option('--train-list <file>', 'train_val_list.txt')
      .option('--test-list <file>', 'test_list.txt')
      .option('--name <name>', 'dataset name', 'ChestX-ray14')
      .option('--skip-bad-rows', 'import the good rows and list the malformed ones'),
  ).action(
    action(async (ctx: Context, o: ImportCxr14Options) => {
      // the reading thread starts before the command's code loads and the database opens
      const { readInWorker } = await import('../datasets/cxr14-worker-reader.ts')
      const source = readInWorker(cxr14StreamOptions(o))
      try {
        const { importCxr14Command } = await import('./import-cxr14.ts')
        return await importCxr14Command(ctx, o, source)
      } finally {
        source.stop()
      }
    }),
  )

  global(
    program
      .command('derive <name>')
      .description('define a derived finding as the union of others, e.g. Opacity')
      .requiredOption('--from <findings>', 'comma-separated findings, e.g. Atelectasis,Pneumonia')
      .option('--dataset <name>', 'dataset (needed when there are several)'),
  ).action(lazy(() => import('./derive.ts'), 'deriveCommand'))

  global(
    program
      .command('check')
      .description(
        'prevalence, co-occurrence, suspicious values, missing files, leakage, cohort table',
      )
      .option('--dataset <name>', 'dataset (needed when there are several)')
      .option(
        '--cosine-threshold <c>',
        'near-duplicates by embedding: centred cosine at least this (default 0.8; after cxr-audit embed)',
      ),
  ).action(lazy(() => import('./check.ts'), 'checkCommand'))

  const registry: Registry = {
    program,
    import: importCmd,
    stats: program.command('stats').description('label accuracy, reader agreement'),
    export: program.command('export').description('export labels'),
    action,
    lazy,
    global,
  }
  registerImageCommands(registry)
  registerAuditCommands(registry)
  registerLabelCommands(registry)
  registerModelCommands(registry)
  registerMlCommands(registry)
  registerPacsCommands(registry)
  registerLearnCommands(registry)
  registerDatasetCommands(registry)
  registerAccountCommands(registry)
  registerDbCommands(registry)
  registerJobCommands(registry)
}
