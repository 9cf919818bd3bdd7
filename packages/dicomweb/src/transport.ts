import http from 'node:http'
import https from 'node:https'
import { Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import { DicomwebError } from './errors.ts'
import { get1, StaleSocket } from './http1.ts'

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

/**
 * Keeps a connection for the next request even when the server announces an idle timeout of
 * 1 s (`Keep-Alive: timeout=1`, Orthanc's default): Node's agent keeps a socket only until 1 s
 * before the announced timeout, so it closed every connection after one answer and each
 * instance cost a TCP connect and close on both sides (800 connections for 800 instances in
 * bench/dicomweb.bench.ts). Here an idle socket is dropped after half the announced time; a
 * GET that still meets a connection the server closed is sent once more. (GETs to http:
 * servers go through http1.ts, which does the same; this agent serves https: and STOW-RS.)
 */
function keepAliveFor<A extends http.Agent>(agent: A): A {
  const keep = agent.keepSocketAlive.bind(agent) as (socket: Duplex) => boolean
  ;(agent as unknown as { keepSocketAlive: (socket: Duplex) => boolean }).keepSocketAlive = (
    socket,
  ) => {
    if (keep(socket)) return true
    const answer = (socket as { _httpMessage?: { res?: http.IncomingMessage } })._httpMessage?.res
    const hint = Number(/^timeout=(\d+)/.exec(String(answer?.headers['keep-alive']))?.[1])
    if (!(hint >= 1) || !(socket instanceof Socket)) return false
    socket.setTimeout(hint * 500)
    return true
  }
  return agent
}

// Kept-alive connections: a batch asks one server for hundreds of instances.
const agents = {
  'http:': keepAliveFor(new http.Agent({ keepAlive: true })),
  'https:': keepAliveFor(new https.Agent({ keepAlive: true })),
}

/** A kept connection the server had closed meanwhile: nothing was answered, ask again. */
const STALE = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED'])

/**
 * One HTTP exchange on node:http. Not the global fetch: reading a megabyte through fetch's web
 * stream costs about twice the CPU (bench/dicomweb.bench.ts), as much as decoding the image.
 * Never follows a redirect [D3]; the whole exchange must end within `timeoutMs`; an answer
 * longer than `maxBytes` is cut off. Failures to connect or answer are DicomwebError.
 */
export async function exchange(
  r: TransportRequest,
  okStatus: readonly number[],
): Promise<TransportAnswer> {
  const started = Date.now()
  // a GET to a plain-HTTP server goes through the lighter client (http1.ts)
  const send = r.method === 'GET' && r.url.startsWith('http:') ? get1 : once
  try {
    return await send(r, okStatus)
  } catch (error) {
    // only a GET, only when a kept connection failed before any answer, only once
    if (!(error instanceof StaleConnection || error instanceof StaleSocket)) throw error
    if (r.method !== 'GET') throw error.cause
    const rest = { ...r, timeoutMs: Math.max(1, r.timeoutMs - (Date.now() - started)) }
    return send(rest, okStatus)
  }
}

class StaleConnection extends Error {}

function once(r: TransportRequest, okStatus: readonly number[]): Promise<TransportAnswer> {
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
      // with a declared length, each chunk is copied once into its place as it comes
      const whole = Number.isSafeInteger(declared) ? Buffer.allocUnsafe(declared) : undefined
      const chunks: Buffer[] = []
      let total = 0
      res.on('data', (chunk: Buffer) => {
        if (total + chunk.length > (whole?.length ?? r.maxBytes))
          return fail(
            new DicomwebError(
              whole === undefined ? 'too-large' : 'bad-response',
              r.url,
              whole === undefined
                ? `the answer exceeds the limit of ${r.maxBytes} bytes`
                : `the answer is longer than its Content-Length (${declared})`,
            ),
          )
        if (whole !== undefined) chunk.copy(whole, total)
        else chunks.push(chunk)
        total += chunk.length
      })
      res.on('end', () => {
        if (settled) return
        if (!res.complete || (whole !== undefined && total !== whole.length))
          return fail(new DicomwebError('unavailable', r.url, 'the answer was cut short', null))
        settled = true
        clearTimeout(timer)
        resolve({
          status,
          headers,
          body: whole ?? (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)),
        })
      })
      res.on('error', (error) => fail(connectionError(r.url, error)))
      res.on('aborted', () =>
        fail(new DicomwebError('unavailable', r.url, 'the answer was cut short', null)),
      )
    })
    let answered = false
    request.on('response', () => (answered = true))
    request.on('error', (error) => {
      const code = (error as NodeJS.ErrnoException).code ?? ''
      if (request.reusedSocket && !answered && STALE.has(code) && !settled) {
        settled = true
        clearTimeout(timer)
        reject(new StaleConnection(code, { cause: connectionError(r.url, error) }))
      } else fail(connectionError(r.url, error))
    })
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
