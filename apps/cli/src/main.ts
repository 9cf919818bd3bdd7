import { Command, Option } from 'commander'
import { createContext, DEFAULT_DB, type Context } from './context.ts'
import { registerCommands } from './commands/index.ts'

/** The commands whose success the activity log records (cli-activity.ts says how). */
const LOGGED_COMMANDS = new Set([
  'import cxr14',
  'import labels',
  'import predictions',
  'import dicomweb',
  'derive',
  'audit create',
  'gallery',
  'label-issues',
  'embed',
  'thumbnails',
])

/** `import cxr14`, `audit create`: a leaf command's name under the program's. */
function commandPath(c: Command): string {
  const names: string[] = []
  for (let x: Command | null = c; x?.parent != null; x = x.parent) names.unshift(x.name())
  return names.join(' ')
}

/** Runs one `cxr-audit` invocation and returns its exit code (0 ok, 2 bad input, 1 failure). */
export async function main(argv: readonly string[]): Promise<number> {
  let ctx: (Context & { close(): Promise<void> }) | undefined
  let result: unknown
  let ran = false
  const program = new Command('cxr-audit')
    .description('Audit the labels of chest X-ray datasets and the models trained on them.')
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
  /** Wraps a command so that it gets a context and its result is printed as JSON or text. */
  const action =
    <A extends unknown[]>(run: (ctx: Context, ...args: A) => Promise<unknown>) =>
    async (...args: unknown[]): Promise<void> => {
      const command = args[args.length - 1] as Command
      const opts = command.optsWithGlobals<{ json?: boolean; db?: string }>()
      ctx = createContext({
        json: opts.json === true,
        db: opts.db ?? process.env['CXR_AUDIT_DB'] ?? DEFAULT_DB,
      })
      ran = true
      result = await run(ctx, ...(args.slice(0, -1) as A))
      const path = commandPath(command)
      if (LOGGED_COMMANDS.has(path)) {
        // loaded only after a write: the log names the command, its options, the OS user
        const { logCliCommand } = await import('./cli-activity.ts')
        await logCliCommand(ctx, path, args.slice(0, -2), command.opts())
      }
    }
  registerCommands(program, action, globalOptions)
  const jsonWanted = argv.includes('--json')
  try {
    await program.parseAsync([...argv], { from: 'user' })
    if (ran && jsonWanted) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
    return ctx?.exitCode ?? 0
  } catch (e) {
    if (isHelpOrVersion(e)) return 0
    // loaded on failure only: it names the layers' errors and formats bad rows (core)
    const { reportError } = await import('./errors.ts')
    const report = reportError(e)
    if (!isCommanderError(e)) process.stderr.write(`cxr-audit: ${report.message}\n`)
    if (jsonWanted) {
      const error = {
        kind: report.kind,
        message: report.message,
        ...(report.rows === undefined ? {} : { rows: report.rows }),
      }
      process.stdout.write(`${JSON.stringify({ error }, null, 2)}\n`)
    }
    return report.exitCode
  } finally {
    await ctx?.close()
  }
}

/** --db and --json on every leaf command, so they may come anywhere on the line. */
export function globalOptions(c: Command): Command {
  return c
    .addOption(
      new Option(
        '--db <path|url>',
        `SQLite file or postgres:// URL (default ${DEFAULT_DB}, or $CXR_AUDIT_DB)`,
      ),
    )
    .option('--json', 'print exactly one JSON document on stdout')
}

function isCommanderError(e: unknown): boolean {
  return e instanceof Error && String((e as { code?: unknown }).code ?? '').startsWith('commander.')
}

function isHelpOrVersion(e: unknown): boolean {
  const code = (e as { code?: unknown }).code
  return (
    code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help'
  )
}
