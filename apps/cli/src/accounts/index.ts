import type { Registry } from '../commands/index.ts'

/** `cxr-audit user add|passwd|disable|enable|role|list` and `cxr-audit log` (docs/accounts.md). */
export function registerAccountCommands(registry: Registry): void {
  const { program, lazy, global } = registry
  const user = program.command('user').description('accounts of the workbench (serve --accounts)')
  const named = (c: ReturnType<typeof user.command>) =>
    c.argument('[name]', 'the user (or --name)').option('--name <name>', 'the user')

  global(
    named(user.command('add').description('add an account; the password is read from stdin'))
      .requiredOption('--role <role>', 'admin, reader or viewer')
      .option('--password-stdin', 'read the password from standard input (required)'),
  ).action(lazy(() => import('./user.ts'), 'userAddCommand'))

  global(
    named(user.command('passwd').description("change a user's password (read from stdin)")).option(
      '--password-stdin',
      'read the password from standard input (required)',
    ),
  ).action(lazy(() => import('./user.ts'), 'userPasswdCommand'))

  global(
    named(user.command('disable').description('stop an account logging in; its sessions end')),
  ).action(lazy(() => import('./user.ts'), 'userDisableCommand'))

  global(named(user.command('enable').description('let a disabled account log in again'))).action(
    lazy(() => import('./user.ts'), 'userEnableCommand'),
  )

  global(
    named(user.command('role').description("change a user's role")).requiredOption(
      '--role <role>',
      'admin, reader or viewer',
    ),
  ).action(lazy(() => import('./user.ts'), 'userRoleCommand'))

  global(user.command('list').description('the accounts, their roles, disabled or not')).action(
    lazy(() => import('./user.ts'), 'userListCommand'),
  )

  global(
    program
      .command('log')
      .description('the activity log: who did what, when, from where (append-only)')
      .option('--user <name>', 'only what this user did (cli:<os user> for the command line)')
      .option('--since <time>', 'from this time on: 2026-03-01, 2026-03-01T08:00Z, or 12h, 7d'),
  ).action(lazy(() => import('./log.ts'), 'logCommand'))
}
