import { connect, type Socket } from 'node:net'
import { DicomwebError } from './errors.ts'
import type { TransportAnswer, TransportRequest } from './transport.ts'

/**
 * GET over plain HTTP/1.1 on kept-alive sockets that read into one reused buffer per socket.
 * node:http hands each 64 KB read over as a new buffer: for a 1 MB instance that was 17 buffers
 * to collect, and the garbage collector's full collections triggered by those allocations cost
 * more CPU than the server's answer (bench/dicomweb.bench.ts, decision 044). Here a read lands
 * in the socket's own buffer and is copied once into the answer's buffer, sized from
 * Content-Length (or grown for a chunked answer). Only for GET to http: URLs; anything
 * unusual (a status without a body rule, an upgrade) is an error, never a guess.
 */

/** Bytes read from a socket at once (the socket's own buffer, reused for every read). */
const READ_BYTES = 256 * 1024
/** Longest status line and headers accepted. */
const MAX_HEAD = 64 * 1024
/** Idle connections kept per server; more are closed when they become idle. */
const MAX_IDLE = 32
/** An idle connection is closed after this long, or half the server's announced timeout. */
const IDLE_MS = 4_000

interface Connection {
  readonly socket: Socket
  /** Who gets the bytes of the exchange under way (none while idle). */
  sink: ((data: Uint8Array) => void) | null
  /** Called when the socket closes or fails during an exchange. */
  ended: ((why: Error | null) => void) | null
  idle: ReturnType<typeof setTimeout> | null
  /** Requests answered on it: a failure before any answer on a used one is a stale socket. */
  used: number
}

const idle = new Map<string, Connection[]>()

function open(host: string, port: number): Connection {
  const buffer = Buffer.allocUnsafe(READ_BYTES)
  const c: Connection = {
    socket: connect({
      host,
      port,
      noDelay: true,
      onread: {
        buffer,
        callback: (n: number, buf: Uint8Array) => {
          c.sink?.(buf.subarray(0, n))
          return true
        },
      },
    }),
    sink: null,
    ended: null,
    idle: null,
    used: 0,
  }
  c.socket.on('error', (e) => c.ended?.(e))
  c.socket.on('close', () => {
    const key = `${host}:${port}`
    const list = idle.get(key)
    if (list?.includes(c)) list.splice(list.indexOf(c), 1)
    if (c.idle) clearTimeout(c.idle)
    c.ended?.(null)
  })
  return c
}

function take(host: string, port: number): Connection {
  const list = idle.get(`${host}:${port}`) ?? []
  for (let c = list.pop(); c !== undefined; c = list.pop()) {
    if (c.idle) clearTimeout(c.idle)
    c.idle = null
    // closed by the server, its close not yet handled: not worth a request
    if (c.socket.destroyed || !c.socket.writable || c.socket.readyState !== 'open') {
      c.socket.destroy()
      continue
    }
    c.socket.ref()
    return c
  }
  return open(host, port)
}

function release(host: string, port: number, c: Connection, keepMs: number): void {
  // bytes on an idle connection answer nothing we asked: it is not reused
  c.sink = () => c.socket.destroy()
  c.ended = null
  const key = `${host}:${port}`
  const list = idle.get(key) ?? []
  if (list.length >= MAX_IDLE || keepMs <= 0 || c.socket.destroyed) {
    c.socket.destroy()
    return
  }
  list.push(c)
  idle.set(key, list)
  c.socket.unref()
  c.idle = setTimeout(() => c.socket.destroy(), keepMs)
  c.idle.unref()
}

/** Raised for a kept socket that the server had closed before answering: ask again. */
export class StaleSocket extends Error {}

interface Head {
  status: number
  headers: Headers
  length: number | undefined
  chunked: boolean
  keepMs: number
}

function parseHead(text: string, url: string): Head {
  const lines = text.split('\r\n')
  const m = /^HTTP\/1\.([01]) (\d{3})/.exec(lines[0] ?? '')
  if (m === null) throw new DicomwebError('bad-response', url, 'not an HTTP/1.x answer')
  const headers = new Headers()
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':')
    if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim())
  }
  const status = Number(m[2])
  const te = headers.get('transfer-encoding')
  const chunked = te !== null && /(^|,)\s*chunked\s*$/i.test(te)
  if (te !== null && !chunked)
    throw new DicomwebError('bad-response', url, `unsupported Transfer-Encoding "${te}"`)
  const cl = headers.get('content-length')
  if (cl !== null && !/^\d{1,15}$/.test(cl))
    throw new DicomwebError('bad-response', url, `bad Content-Length "${cl}"`)
  const length = chunked ? undefined : cl === null ? undefined : Number(cl)
  const close =
    m[1] === '0'
      ? !/keep-alive/i.test(headers.get('connection') ?? '')
      : /close/i.test(headers.get('connection') ?? '')
  const hint = Number(/timeout=(\d+)/.exec(headers.get('keep-alive') ?? '')?.[1])
  const keepMs =
    close || (length === undefined && !chunked)
      ? 0
      : hint >= 1
        ? Math.min(IDLE_MS, hint * 500)
        : IDLE_MS
  return { status, headers, length, chunked, keepMs }
}

/**
 * Decodes a chunked body (RFC 9112 7.1) fed in pieces; trailers are skipped. Returns the body
 * when the last chunk and the trailers are in.
 */
function chunkedDecoder(maxBytes: number, url: string): (data: Uint8Array) => Buffer | undefined {
  let out = Buffer.allocUnsafe(64 * 1024)
  let size = 0
  let line = '' // a size line or trailer line being read
  let left = -1 // bytes of the current chunk still to come; -1: reading a size line
  let crlf = 0 // bytes of the CR LF after a chunk still to skip
  let trailers = false
  return (data) => {
    let at = 0
    while (at < data.length) {
      if (crlf > 0) {
        at++
        crlf--
        continue
      }
      if (left > 0) {
        const n = Math.min(left, data.length - at)
        if (size + n > out.length) {
          if (size + n > maxBytes)
            throw new DicomwebError(
              'too-large',
              url,
              `the answer exceeds the limit of ${maxBytes} bytes`,
            )
          const grown = Buffer.allocUnsafe(Math.min(maxBytes, Math.max(out.length * 2, size + n)))
          out.copy(grown, 0, 0, size)
          out = grown
        }
        out.set(data.subarray(at, at + n), size)
        size += n
        at += n
        left -= n
        if (left === 0) {
          left = -1
          crlf = 2
        }
        continue
      }
      const nl = data.indexOf(0x0a, at)
      const end = nl < 0 ? data.length : nl + 1
      line += Buffer.from(data.buffer, data.byteOffset + at, end - at).toString('latin1')
      at = end
      if (line.length > 4096)
        throw new DicomwebError('bad-response', url, 'a chunk line is too long')
      if (nl < 0) continue
      const text = line.trim()
      line = ''
      if (trailers) {
        if (text === '') return out.subarray(0, size)
        continue
      }
      const n = Number.parseInt(text.split(';')[0]!, 16)
      if (!/^[0-9a-f]+/i.test(text) || !Number.isSafeInteger(n))
        throw new DicomwebError('bad-response', url, 'a bad chunk size in the answer')
      if (n === 0) trailers = true
      else left = n
    }
    return undefined
  }
}

/** One GET on a kept-alive connection to an http: server (see the top of this file). */
export function get1(r: TransportRequest, okStatus: readonly number[]): Promise<TransportAnswer> {
  const target = new URL(r.url)
  const host = target.hostname.replace(/^\[|\]$/g, '')
  const port = Number(target.port || 80)
  const c = take(host, port)
  const reused = c.used > 0
  return new Promise<TransportAnswer>((resolve, reject) => {
    let settled = false
    let received = 0
    const finish = (error: Error | null, answer?: TransportAnswer, keepMs = 0): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      if (error !== null || answer === undefined) {
        c.sink = null
        c.ended = null
        c.socket.destroy()
        reject(error)
      } else {
        c.used++
        release(host, port, c, keepMs)
        resolve(answer)
      }
    }
    const timer = setTimeout(
      () =>
        finish(
          new DicomwebError(
            'timeout',
            r.url,
            `no complete answer within ${r.timeoutMs / 1000} s`,
            null,
          ),
        ),
      r.timeoutMs,
    )
    c.ended = (why) => {
      // an answer without length or chunks ends when the server closes the connection
      if (why === null && head !== undefined && untilClose !== undefined)
        return finish(null, {
          status: head.status,
          headers: head.headers,
          body: Buffer.concat(untilClose),
        })
      if (received === 0 && reused) {
        // the server dropped its idle connections: the others kept for it are as stale
        for (const other of idle.get(`${host}:${port}`)?.splice(0) ?? []) other.socket.destroy()
        return finish(new StaleSocket(String(why ?? 'closed')))
      }
      const code = (why as NodeJS.ErrnoException | null)?.code ?? why?.message
      finish(
        received === 0
          ? new DicomwebError(
              'unavailable',
              r.url,
              `the server did not answer (${code ?? 'closed'})`,
              null,
              {
                cause: why,
              },
            )
          : new DicomwebError('unavailable', r.url, 'the answer was cut short', null),
      )
    }
    let head: Head | undefined
    let headBytes: Buffer[] = []
    let headLength = 0
    let body: Buffer | undefined
    let filled = 0
    let chunks: ((data: Uint8Array) => Buffer | undefined) | undefined
    let untilClose: Buffer[] | undefined
    let closeBytes = 0
    const onBody = (data: Uint8Array): void => {
      const h = head!
      if (chunks !== undefined) {
        const done = chunks(data)
        if (done !== undefined)
          finish(null, { status: h.status, headers: h.headers, body: done }, h.keepMs)
        return
      }
      if (untilClose !== undefined) {
        closeBytes += data.length
        if (closeBytes > r.maxBytes)
          return finish(
            new DicomwebError(
              'too-large',
              r.url,
              `the answer exceeds the limit of ${r.maxBytes} bytes`,
            ),
          )
        untilClose.push(Buffer.from(data))
        return
      }
      if (body === undefined) return
      if (filled + data.length > body.length)
        return finish(
          new DicomwebError(
            'bad-response',
            r.url,
            `the answer is longer than its Content-Length (${body.length})`,
          ),
        )
      body.set(data, filled)
      filled += data.length
      if (filled === body.length)
        finish(null, { status: h.status, headers: h.headers, body }, h.keepMs)
    }
    c.sink = (data) => {
      received += data.length
      if (settled) return
      try {
        if (head !== undefined) return onBody(data)
        headBytes.push(Buffer.from(data)) // a copy: `data` is the socket's reused buffer
        headLength += data.length
        const all = headBytes.length === 1 ? headBytes[0]! : Buffer.concat(headBytes)
        headBytes = [all]
        const end = all.indexOf('\r\n\r\n')
        if (end < 0) {
          if (headLength > MAX_HEAD)
            finish(new DicomwebError('bad-response', r.url, 'the answer has no end of headers'))
          return
        }
        head = parseHead(all.subarray(0, end).toString('latin1'), r.url)
        if (!okStatus.includes(head.status)) {
          // not read further: the connection is closed rather than drained
          return finish(null, {
            status: head.status,
            headers: head.headers,
            body: new Uint8Array(0),
          })
        }
        if (head.length !== undefined && head.length > r.maxBytes)
          return finish(
            new DicomwebError(
              'too-large',
              r.url,
              `${head.length} bytes exceeds the limit of ${r.maxBytes}`,
            ),
          )
        if (head.chunked) chunks = chunkedDecoder(r.maxBytes, r.url)
        else if (head.length !== undefined) body = Buffer.allocUnsafe(head.length)
        else if (head.status === 204 || head.status === 304) body = Buffer.alloc(0)
        else untilClose = []
        const rest = all.subarray(end + 4)
        if (rest.length > 0 || (body !== undefined && body.length === 0)) onBody(rest)
      } catch (error) {
        finish(error as Error)
      }
    }
    const lines = [`GET ${target.pathname}${target.search} HTTP/1.1`, `host: ${target.host}`]
    for (const [k, v] of Object.entries(r.headers)) {
      // a value from the environment (a token) must not add lines to the request
      if (/[\r\n]/.test(k + v))
        return finish(new DicomwebError('bad-url', r.url, `the ${k} header holds a line break`))
      lines.push(`${k}: ${v}`)
    }
    c.socket.write(`${lines.join('\r\n')}\r\n\r\n`, 'latin1')
  })
}
