import { createServer, type Server } from 'node:http'

/**
 * A loopback HTTP proxy in front of a test server that counts requests and runs `onRequest`
 * before forwarding each (e.g. to stop the server mid-import, or to delay answers): a real
 * network failure at a chosen moment, without timing guesses.
 */
export async function startProxy(
  target: string,
  onRequest: (count: number) => Promise<void> | void,
): Promise<{ url: string; close(): Promise<void> }> {
  let count = 0
  const server: Server = createServer((req, res) => {
    void (async () => {
      try {
        await onRequest(++count)
        const chunks: Buffer[] = []
        for await (const c of req) chunks.push(c as Buffer)
        const headers: Record<string, string> = {}
        for (const [k, v] of Object.entries(req.headers))
          if (typeof v === 'string' && k !== 'host' && k !== 'connection') headers[k] = v
        const r = await fetch(`${target}${req.url ?? ''}`, {
          method: req.method ?? 'GET',
          headers,
          ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
        })
        const out: Record<string, string> = {}
        r.headers.forEach((v, k) => {
          if (k !== 'content-length' && k !== 'transfer-encoding' && k !== 'connection') out[k] = v
        })
        res.writeHead(r.status, out)
        res.end(Buffer.from(await r.arrayBuffer()))
      } catch {
        // the server behind is gone: so is the connection, as a client of a dead server sees it
        req.socket.destroy()
      }
    })()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
