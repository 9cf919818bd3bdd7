import http from 'node:http'
import https from 'node:https'
import { DicomwebError } from './errors.ts'

export interface TransportRequest {
  readonly url: string
  readonly method: string
  readonly headers: Readonly<Record<string, string>>
  readonly body?: Uint8Array
  readonly timeoutMs: number
  readonly maxBytes: number
}

export interface TransportAnswer {
  readonly status: number
  readonly headers: Headers
  /** The whole body, unless the status is not in `okStatus` (then empty: not read). */
  readonly body: Uint8Array
}

// Kept-alive connections: a batch asks one server for hundreds of instances.
const agents = {
  'http:': new http.Agent({ keepAlive: true }),
  'https:': new https.Agent({ keepAlive: true }),
}

/**
 * One HTTP exchange on node:http. Not the global fetch: reading a megabyte through fetch's web
 * stream costs about twice the CPU (bench/dicomweb.bench.ts), as much as decoding the image.
 * Never follows a redirect [D3]; the whole exchange must end within `timeoutMs`; an answer
 * longer than `maxBytes` is cut off. Failures to connect or answer are DicomwebError.
 */
export function exchange(
  r: TransportRequest,
  okStatus: readonly number[],
): Promise<TransportAnswer> {
  const target = new URL(r.url)
  const lib = target.protocol === 'https:' ? https : http
  const agent = target.protocol === 'https:' ? agents['https:'] : agents['http:']
  return new Promise((resolve, reject) => {
    let settled = false
    const fail = (error: DicomwebError): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      request.destroy()
      reject(error)
    }
    const timer = setTimeout(
      () =>
        fail(
          new DicomwebError(
            'timeout',
            r.url,
            `no complete answer within ${r.timeoutMs / 1000} s`,
            null,
          ),
        ),
      r.timeoutMs,
    )
    const request = lib.request(target, { method: r.method, headers: r.headers, agent }, (res) => {
      const status = res.statusCode ?? 0
      const headers = new Headers()
      for (const [k, v] of Object.entries(res.headers))
        if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v)
      if (!okStatus.includes(status)) {
        res.resume()
        settled = true
        clearTimeout(timer)
        resolve({ status, headers, body: new Uint8Array(0) })
        return
      }
      const declared = Number(res.headers['content-length'] ?? NaN)
      if (declared > r.maxBytes)
        return fail(
          new DicomwebError(
            'too-large',
            r.url,
            `${declared} bytes exceeds the limit of ${r.maxBytes}`,
          ),
        )
      const chunks: Buffer[] = []
      let total = 0
      res.on('data', (chunk: Buffer) => {
        total += chunk.length
        if (total > r.maxBytes)
          fail(
            new DicomwebError(
              'too-large',
              r.url,
              `the answer exceeds the limit of ${r.maxBytes} bytes`,
            ),
          )
        else chunks.push(chunk)
      })
      res.on('end', () => {
        if (settled) return
        if (!res.complete)
          return fail(new DicomwebError('unavailable', r.url, 'the answer was cut short', null))
        settled = true
        clearTimeout(timer)
        resolve({ status, headers, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks) })
      })
      res.on('error', (error) => fail(connectionError(r.url, error)))
      res.on('aborted', () =>
        fail(new DicomwebError('unavailable', r.url, 'the answer was cut short', null)),
      )
    })
    request.on('error', (error) => fail(connectionError(r.url, error)))
    request.end(
      r.body === undefined
        ? undefined
        : Buffer.from(r.body.buffer, r.body.byteOffset, r.body.byteLength),
    )
  })
}

function connectionError(url: string, error: Error): DicomwebError {
  const why = (error as NodeJS.ErrnoException).code ?? error.message
  return new DicomwebError('unavailable', url, `the server did not answer (${why})`, null, {
    cause: error,
  })
}
