import {
  addUser,
  listUsers,
  setPassword,
  updateUser,
  type Actor,
  type UserRow,
} from '@cxr-audit/store'
import { userInfo } from 'node:os'
import type { Context } from '../context.ts'
import { UsageError } from '../errors.ts'

interface Named {
  name?: string
}

/** The command line as an actor of the activity log. */
export function cliActor(): Actor {
  let who = 'unknown'
  try {
    who = userInfo().username
  } catch {
    // no passwd entry (a container's uid): still logged, as unknown
  }
  return { name: `cli:${who}` }
}

function nameOf(positional: string | undefined, o: Named): string {
  const name = o.name ?? positional
  if (name === undefined) throw new UsageError('say which user: --name NAME')
  if (o.name !== undefined && positional !== undefined && positional !== o.name)
    throw new UsageError(`two names given: "${positional}" and --name "${o.name}"`)
  return name
}

/** The password from stdin: one line (a final newline dropped), never echoed or logged. */
async function passwordFromStdin(wanted: boolean | undefined): Promise<string> {
  if (wanted !== true)
    throw new UsageError(
      'give the password on standard input with --password-stdin, e.g. from a password manager or a file',
    )
  if (process.stdin.isTTY === true)
    throw new UsageError(
      '--password-stdin reads a pipe or a file, not the terminal (the password would show): ' +
        'read -rs P && printf \'%s\' "$P" | cxr-audit user ... --password-stdin',
    )
  const chunks: Buffer[] = []
  for await (const c of process.stdin) chunks.push(c as Buffer)
  const text = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '')
  if (text.includes('\n')) throw new UsageError('the password on stdin must be one line')
  return text
}

const shown = (u: UserRow) => ({
  id: u.id,
  name: u.name,
  role: u.role,
  disabled: u.disabled,
  createdAt: u.createdAt,
})

export async function userAddCommand(
  ctx: Context,
  positional: string | undefined,
  o: Named & { role: string; passwordStdin?: boolean },
): Promise<{ user: ReturnType<typeof shown> }> {
  const name = nameOf(positional, o)
  const password = await passwordFromStdin(o.passwordStdin)
  const u = await addUser(await ctx.store(), { name, role: o.role, password, by: cliActor() })
  ctx.say(`added ${u.name} (${u.role})`)
  return { user: shown(u) }
}

export async function userPasswdCommand(
  ctx: Context,
  positional: string | undefined,
  o: Named & { passwordStdin?: boolean },
): Promise<{ user: ReturnType<typeof shown> }> {
  const name = nameOf(positional, o)
  const password = await passwordFromStdin(o.passwordStdin)
  const u = await setPassword(await ctx.store(), { name, password, by: cliActor() })
  ctx.say(`new password for ${u.name}; their sessions ended`)
  return { user: shown(u) }
}

async function update(
  ctx: Context,
  name: string,
  change: { disabled?: boolean; role?: string },
): Promise<{ user: ReturnType<typeof shown> }> {
  const u = await updateUser(await ctx.store(), { name, ...change, by: cliActor() })
  ctx.say(`${u.name}: ${u.role}${u.disabled ? ', disabled' : ''}`)
  return { user: shown(u) }
}

export const userDisableCommand = (ctx: Context, positional: string | undefined, o: Named) =>
  update(ctx, nameOf(positional, o), { disabled: true })

export const userEnableCommand = (ctx: Context, positional: string | undefined, o: Named) =>
  update(ctx, nameOf(positional, o), { disabled: false })

export const userRoleCommand = (
  ctx: Context,
  positional: string | undefined,
  o: Named & { role: string },
) => update(ctx, nameOf(positional, o), { role: o.role })

export async function userListCommand(
  ctx: Context,
): Promise<{ users: ReturnType<typeof shown>[] }> {
  const users = await listUsers((await ctx.store()).db)
  if (users.length === 0)
    ctx.say('no accounts yet: cxr-audit user add --name NAME --role admin --password-stdin')
  for (const u of users)
    ctx.say(
      `${u.name.padEnd(24)} ${u.role.padEnd(7)} ${u.disabled ? 'disabled' : 'active  '} since ${u.createdAt}`,
    )
  return { users: users.map(shown) }
}
