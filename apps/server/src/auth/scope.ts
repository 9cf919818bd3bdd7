import { assignedAuditIds, findReaderById, imageAssignedTo, type Actor } from '@cxr-audit/store'
import type { FastifyRequest } from 'fastify'
import type { Workbench } from '../app.ts'
import { ApiError } from '../errors.ts'

/**
 * What a request may see beyond its route's access level: a reader sees only the audits
 * assigned to them, their films and their own verdicts [A8]. Without accounts (one person on
 * loopback) everything is open, as before.
 */

/** Who the activity log names: the session's user, or the one person of loopback mode. */
export function actorOf(request: FastifyRequest, localName = 'local'): Actor {
  const s = request.session
  return s === null
    ? { name: localName, address: request.ip }
    : { name: s.user.name, id: s.user.id, address: request.ip }
}

const isReader = (request: FastifyRequest): boolean => request.session?.user.role === 'reader'

/**
 * The reader whose verdicts a write records: the session's user with accounts (a body naming
 * someone else is refused), the registered person of the body's id without.
 */
export async function actingReader(
  wb: Workbench,
  request: FastifyRequest,
  bodyReaderId: number | undefined,
): Promise<{ id: number; name: string }> {
  const s = request.session
  if (s !== null) {
    if (bodyReaderId !== undefined && bodyReaderId !== s.user.id)
      throw new ApiError(403, 'wrong-reader', 'you write as yourself: readerId is not yours')
    return { id: s.user.id, name: s.user.name }
  }
  if (bodyReaderId === undefined)
    throw new ApiError(400, 'unknown-reader', 'say who reads (readerId)')
  const r = await findReaderById(wb.store.db, bodyReaderId)
  if (r === undefined)
    throw new ApiError(400, 'unknown-reader', `no reader ${bodyReaderId}: register first`)
  if (r.kind !== 'person')
    throw new ApiError(400, 'unknown-reader', `reader ${bodyReaderId} is an imported label source`)
  return { id: r.id, name: r.name }
}

/** The audits a reader may open; null means all of them. */
export async function auditsVisible(
  wb: Workbench,
  request: FastifyRequest,
): Promise<Set<number> | null> {
  if (!isReader(request)) return null
  return assignedAuditIds(wb.store.db, request.session!.user.id)
}

/** A 403 unless the request may open that audit. */
export async function requireAudit(
  wb: Workbench,
  request: FastifyRequest,
  auditId: number,
): Promise<void> {
  const visible = await auditsVisible(wb, request)
  if (visible !== null && !visible.has(auditId))
    throw new ApiError(403, 'not-assigned', `audit ${auditId} is not assigned to you`)
}

/**
 * Whose verdicts an answer may carry: a reader's own only (asking for another's is 403);
 * otherwise the reader asked for, if any.
 */
export function verdictsOf(request: FastifyRequest, asked: number | undefined): number | null {
  if (!isReader(request)) return asked ?? null
  const me = request.session!.user.id
  if (asked !== undefined && asked !== me)
    throw new ApiError(403, 'not-yours', 'a reader sees their own verdicts only')
  return me
}

/** A 403 unless the request may see that film (a reader: only those of their audits). */
export async function requireImage(
  wb: Workbench,
  request: FastifyRequest,
  imageId: number,
): Promise<void> {
  if (!isReader(request)) return
  if (!(await imageAssignedTo(wb.store.db, imageId, request.session!.user.id)))
    throw new ApiError(403, 'not-assigned', `image ${imageId} is in no audit assigned to you`)
}
