import type { Command } from 'commander'
import type { Context } from '../context.ts'
import { checkCommand } from './check.ts'
import { deriveCommand } from './derive.ts'
import { importCxr14Command } from './import-cxr14.ts'
import { registerAuditCommands } from '../audit/index.ts'
import { registerImageCommands } from '../images/index.ts'
import { registerLabelCommands } from '../labels/index.ts'
import { registerModelCommands } from '../models/index.ts'
import { registerLearnCommands } from '../learn/index.ts'

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
  /** Adds --db and --json to a leaf command. */
  readonly global: (c: Command) => Command
}

export type Action = <A extends unknown[]>(
  run: (ctx: Context, ...args: A) => Promise<unknown>,
) => (...args: unknown[]) => Promise<void>

const collect = (value: string, previous: string[] = []): string[] => [...previous, value]

/** Every command of the CLI. Each command file stays small; this only wires names to them. */
export function registerCommands(
  program: Command,
  action: Action,
  global: (c: Command) => Command,
): void {
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
  ).action(action(importCxr14Command))

  global(
    program
      .command('derive <name>')
      .description('define a derived finding as the union of others, e.g. Opacity')
      .requiredOption('--from <findings>', 'comma-separated findings, e.g. Atelectasis,Pneumonia')
      .option('--dataset <name>', 'dataset (needed when there are several)'),
  ).action(action(deriveCommand))

  global(
    program
      .command('check')
      .description(
        'prevalence, co-occurrence, suspicious values, missing files, leakage, cohort table',
      )
      .option('--dataset <name>', 'dataset (needed when there are several)'),
  ).action(action(checkCommand))

  const registry: Registry = {
    program,
    import: importCmd,
    stats: program.command('stats').description('label accuracy, reader agreement'),
    export: program.command('export').description('export labels'),
    action,
    global,
  }
  registerImageCommands(registry)
  registerAuditCommands(registry)
  registerLabelCommands(registry)
  registerModelCommands(registry)
  registerLearnCommands(registry)
}
