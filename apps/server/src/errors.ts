import { AuditInputError, ModelSpecError, StatsInputError } from '@cxr-audit/core'
import { isImageError } from '@cxr-audit/imaging'
import { StoreError } from '@cxr-audit/store'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import type { ApiErrorBody } from '@cxr-audit/contract'

/** An answer other than 200, with a stable `kind` the web app can act on. */
export class ApiError extends Error {
  override readonly name = 'ApiError'
  constructor(
    readonly status: number,
    readonly kind: string,
    message: string,
    readonly extra: Partial<ApiErrorBody['error']> = {},
  ) {
    super(message)
  }
}

/** Maps every error to a typed JSON answer; nothing escapes as a crash or an HTML page [W18]. */
export function errorHandler(
  error: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const send = (status: number, kind: string, message: string, extra = {}): FastifyReply =>
    reply
      .code(status)
      .type('application/json')
      .send({ error: { kind, message, ...extra } })
  if (error instanceof ApiError) return send(error.status, error.kind, error.message, error.extra)
  if ('validation' in error && error.validation !== undefined)
    return send(400, 'bad-request', error.message)
  if (
    error instanceof AuditInputError ||
    error instanceof StatsInputError ||
    error instanceof ModelSpecError
  )
    return send(400, 'bad-input', error.message)
  if (error instanceof StoreError) return send(400, 'bad-input', error.message)
  if (isImageError(error)) {
    if (error.kind === 'not-found') return send(404, 'not-found', 'the image file is not on disk')
    if (error.kind === 'unavailable')
      return send(502, 'unavailable', `the image server did not answer: ${error.reason}`)
    if (error.kind === 'outside-root')
      return send(403, 'outside-root', 'the image lies outside the dataset image folders')
    return send(422, 'unreadable', error.reason, { reason: error.kind })
  }
  const status = (error as FastifyError).statusCode
  if (status !== undefined && status >= 400 && status < 500)
    return send(status, 'bad-request', error.message)
  request.log.error(error)
  return send(500, 'internal', 'the server failed; the error is in its log')
}
