import { deriveFinding, findDataset } from '@cxr-audit/store'
import type { Context } from '../context.ts'
import { UsageError } from '../errors.ts'

export async function deriveCommand(
  ctx: Context,
  name: string,
  o: { from: string; dataset?: string },
): Promise<{ name: string; from: string[]; positives: number }> {
  const parts = o.from
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
  if (name.trim() === '') throw new UsageError('the derived finding needs a name')
  if (parts.length === 0)
    throw new UsageError('--from needs at least one finding, e.g. --from Nodule,Mass')
  const store = await ctx.store()
  const dataset = await findDataset(store.db, o.dataset)
  const result = await deriveFinding(store.db, dataset.id, name.trim(), parts)
  ctx.say(`${result.name} = ${result.from.join(' | ')}: ${result.positives} positive images`)
  return result
}
