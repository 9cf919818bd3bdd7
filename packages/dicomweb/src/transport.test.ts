import { randomBytes } from 'node:crypto'
import http from 'node:http'
import { createServer, type Server, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isDicomwebError } from './errors.ts'
import { exchange } from './transport.ts'

/**
 * The HTTP/1.1 answers a DICOMweb server may give that Orthanc does not (chunked, close-
 * delimited, a connection dropped while idle or mid-answer), from real local servers. The
 * Orthanc suites (apps/cli/src/dicomweb) cover the common path end to end.
 */

const BODY = randomBytes(1024 * 1024 + 17)
const get = (url: string, timeoutMs = 5_000) =>
  exchange({ url, method: 'GET', headers: {}, timeoutMs, maxBytes: 8 * 1024 * 1024 }, [200])

function listen(server: Server | http.Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const a = server.address()
      resolve(`http://127.0.0.1:${typeof a === 'object' && a !== null ? a.port : 0}`)
    }),
  )
}

/** A raw server: `answer(socket, n)` (the n-th request it got) writes whatever bytes the case needs. */
async function rawServer(
  answer: (socket: Socket, request: number) => void,
): Promise<{ url: string; connections: () => number; close: () => Promise<void> }> {
  let connections = 0
  // counted over all connections: a case may close one and answer the next on another
  let request = 0
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    connections++
    sockets.add(socket)
    let text = ''
    socket.on('data', (d) => {
      text += d.toString('latin1')
      while (text.includes('\r\n\r\n')) {
        text = text.slice(text.indexOf('\r\n\r\n') + 4)
        answer(socket, request++)
      }
    })
    socket.on('error', () => undefined)
  })
  const url = await listen(server)
  return {
    url,
    connections: () => connections,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}

describe('[D6] the WADO-RS transport on real sockets', () => {
  let server: http.Server
  let url: string
  let connections = 0
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/chunked') {
        res.writeHead(200, { 'content-type': 'application/octet-stream' })
        for (let at = 0; at < BODY.length; at += 100_003) res.write(BODY.subarray(at, at + 100_003))
        res.addTrailers({ 'x-done': '1' })
        res.end()
      } else res.end(BODY)
    })
    // Orthanc's default: "Keep-Alive: timeout=1", on which Node's own agent drops every socket
    server.keepAliveTimeout = 1_000
    server.on('connection', () => connections++)
    url = await listen(server)
  })
  afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())))

  it('keeps connections across answers announcing Keep-Alive timeout=1', async () => {
    connections = 0
    const answers = await Promise.all(Array.from({ length: 40 }, () => get(`${url}/whole`)))
    for (const a of answers) {
      expect(a.status).toBe(200)
      expect(a.headers.get('keep-alive')).toBe('timeout=1')
      expect(Buffer.from(a.body).equals(BODY)).toBe(true)
    }
    const opened = connections
    expect(opened).toBeLessThanOrEqual(40)
    for (let i = 0; i < 10; i++) await get(`${url}/whole`)
    // the next ones, one at a time, reuse a kept connection
    expect(connections).toBe(opened)
  })

  it('reads a chunked answer whole, trailers skipped', async () => {
    const a = await get(`${url}/chunked`)
    expect(Buffer.from(a.body).equals(BODY)).toBe(true)
    expect((await get(`${url}/whole`)).body.length).toBe(BODY.length)
  })

  it('reads an answer that ends when the server closes the connection', async () => {
    const s = await rawServer((socket) => {
      socket.write('HTTP/1.0 200 OK\r\ncontent-type: application/octet-stream\r\n\r\n')
      socket.end(BODY)
    })
    try {
      expect(Buffer.from((await get(s.url)).body).equals(BODY)).toBe(true)
    } finally {
      await s.close()
    }
  })

  it('asks again once when a kept connection was closed by the server meanwhile', async () => {
    const s = await rawServer((socket) => {
      socket.write(`HTTP/1.1 200 OK\r\ncontent-length: 5\r\nkeep-alive: timeout=30\r\n\r\nhello`)
      // the server forgets its promise: the idle connection is closed soon after
      setTimeout(() => socket.destroy(), 50)
    })
    try {
      expect(Buffer.from((await get(s.url)).body).toString()).toBe('hello')
      await new Promise((r) => setTimeout(r, 200))
      expect(Buffer.from((await get(s.url)).body).toString()).toBe('hello')
      expect(s.connections()).toBe(2)
    } finally {
      await s.close()
    }
  })

  it('an answer cut short, a silent server, a wrong length: a clear error for that request', async () => {
    const s = await rawServer((socket, n) => {
      if (n === 0) {
        socket.write('HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\nonly a little')
        socket.destroy()
      } else if (n === 1) socket.write('HTTP/1.1 200 OK\r\ncontent-length: 3\r\n\r\ntoo long')
      // later requests: no answer at all
    })
    const failure = (p: Promise<unknown>) =>
      p.then(
        () => null,
        (e: unknown) => (isDicomwebError(e) ? { kind: e.kind, detail: e.detail } : String(e)),
      )
    try {
      expect(await failure(get(s.url))).toEqual({
        kind: 'unavailable',
        detail: 'the answer was cut short',
      })
      expect(await failure(get(s.url))).toMatchObject({ kind: 'bad-response' })
      expect(await failure(get(s.url, 300))).toMatchObject({ kind: 'timeout' })
    } finally {
      await s.close()
    }
  })

  it('a server that is not there: unavailable, saying so', async () => {
    const s = await rawServer(() => undefined)
    await s.close()
    const e = await get(s.url).catch((x: unknown) => x)
    expect(isDicomwebError(e) && e.kind).toBe('unavailable')
    expect(String((e as Error).message)).toMatch(/ECONNREFUSED/)
  })
})
