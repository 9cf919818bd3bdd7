import { listActivity, type ActivityEntry } from '@cxr-audit/store'
import type { Context } from '../context.ts'
import { UsageError } from '../errors.ts'

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 }

/** `--since`: an ISO date or time, or a span back from now (`30m`, `12h`, `7d`). */
export function parseSince(text: string, now: number): string {
  const span = /^(\d{1,6})([mhd])$/.exec(text.trim())
  if (span !== null) return new Date(now - Number(span[1]) * UNITS[span[2]!]!).toISOString()
  const t = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text.trim())
    ? Date.parse(text.trim())
    : Number.NaN
  if (Number.isNaN(t))
    throw new UsageError(
      `--since: a date (2026-03-01), a time (2026-03-01T08:00Z) or 12h/7d, not "${text}"`,
    )
  return new Date(t).toISOString()
}

function describe(e: ActivityEntry): string {
  const d = e.detail
  if (e.action === 'events') return `${String(d['verdicts'])} verdicts, ${String(d['tags'])} tags`
  const keys = Object.keys(d)
  return keys.length === 0 ? '' : JSON.stringify(d)
}

/** `cxr-audit log [--user U] [--since T]`: the activity log, oldest first. */
export async function logCommand(
  ctx: Context,
  o: { user?: string; since?: string },
): Promise<{ entries: ActivityEntry[] }> {
  const since = o.since === undefined ? undefined : parseSince(o.since, Date.now())
  const entries = await listActivity((await ctx.store()).db, { user: o.user, since })
  if (entries.length === 0)
    ctx.say('nothing logged' + (o.user === undefined ? '' : ` for ${o.user}`))
  for (const e of entries)
    ctx.say(
      [e.at, e.actor, e.action, e.target ?? '', e.address ?? '', describe(e)]
        .filter((x) => x !== '')
        .join('  '),
    )
  return { entries }
}
