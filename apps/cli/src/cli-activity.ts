import { appendActivity } from '@cxr-audit/store'
import { cliActor } from './accounts/user.ts'
import type { Context } from './context.ts'

/** A URL's user and password are never written down. */
const scrub = (v: unknown): unknown =>
  typeof v === 'string'
    ? v.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, '$1')
    : Array.isArray(v)
      ? v.map(scrub)
      : v

export async function logCliCommand(
  ctx: Context,
  path: string,
  args: readonly unknown[],
  options: Record<string, unknown>,
): Promise<void> {
  const detail: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(options)) if (k !== 'json' && k !== 'db') detail[k] = scrub(v)
  if (args.length > 0) detail['args'] = args.map(scrub)
  const a = cliActor()
  await appendActivity((await ctx.store()).db, { actor: a.name, action: path, detail })
}
