/** Why a DICOMweb request failed; stable strings the CLI and the server map to answers. */
export type DicomwebErrorKind =
  | 'bad-url' // the configured URL is not a usable DICOMweb base URL
  | 'unauthorized' // 401 / 403: wrong or missing credentials
  | 'not-found' // 404
  | 'unavailable' // no answer (refused, reset, DNS), or a 5xx
  | 'timeout' // no complete answer in time
  | 'too-large' // the answer is larger than allowed
  | 'bad-response' // an answer that is not what DICOMweb promises

/** A failed DICOMweb request; the message names the URL (never credentials) and the reason. */
export class DicomwebError extends Error {
  override readonly name = 'DicomwebError'
  constructor(
    readonly kind: DicomwebErrorKind,
    readonly url: string,
    readonly detail: string,
    readonly status: number | null = null,
    options?: { cause?: unknown },
  ) {
    super(`${url}: ${detail}`, options)
  }
}

export function isDicomwebError(value: unknown): value is DicomwebError {
  return value instanceof DicomwebError
}
