import { BundleError, verifyBundle, type VerifyReport } from '@cxr-audit/report/verify'
import type { Context } from '../context.ts'
import { UsageError } from '../errors.ts'

const show = (v: number | null | undefined): string =>
  v === undefined ? 'absent' : v === null ? 'null' : String(v)

/** `cxr-audit verify-report DIR` [R9]: exit 0 when every figure matches, 1 listing the rest. */
export async function verifyReportCommand(ctx: Context, dir: string): Promise<VerifyReport> {
  let r: VerifyReport
  try {
    r = await verifyBundle(dir)
  } catch (e) {
    if (e instanceof BundleError) throw new UsageError(e.message)
    throw e
  }
  if (r.ok)
    ctx.say(
      `${dir}: all ${r.figures} figures recomputed from the bundle match (to ${r.tolerance}).`,
    )
  else {
    ctx.say(
      `${dir}: ${r.differences.length} of ${r.figures} figures differ from what the report states:`,
    )
    for (const d of r.differences)
      ctx.say(`  ${d.figure}: stated ${show(d.stated)}, recomputed ${show(d.recomputed)}`)
    ctx.exitCode = 1
  }
  return r
}
