import type { FastifyRequest } from 'fastify'
import type { Workbench } from '../app.ts'
import { auditsVisible } from '../auth/scope.ts'
import { ApiError } from '../errors.ts'

/**
 * The checks every event batch passes before anything is stored (verdicts, tags, reading
 * events): each event's audit is one the reader may open (null: a dataset sheet, which a
 * reader never may), else 403 for the whole batch.
 */
export async function requireBatchAudits(
  wb: Workbench,
  request: FastifyRequest,
  auditIds: readonly (number | null)[],
): Promise<void> {
  const visible = await auditsVisible(wb, request)
  if (visible === null) return
  for (const id of auditIds)
    if (id === null || !visible.has(id))
      throw new ApiError(
        403,
        'not-assigned',
        `${id === null ? 'a dataset sheet' : `audit ${id}`} is not assigned to you; nothing was stored`,
      )
}

/** A 400 naming the first refused event when any was refused; the batch is then not stored. */
export function refuseRejected(
  rejected: readonly { clientEventId: string; reason: string }[],
  total: number,
): void {
  if (rejected.length > 0)
    throw new ApiError(
      400,
      'rejected-events',
      `${rejected.length} of ${total} events refused: ${rejected[0]!.reason}; nothing was stored`,
      { rejected },
    )
}
