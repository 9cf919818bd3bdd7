import { spawn, type ChildProcess } from 'node:child_process'
import { Agent, request } from 'node:http'
import { fileURLToPath } from 'node:url'
import type { AuditDto, EventsAnswer, SheetDto } from '@cxr-audit/contract'

/** The `cxr-audit` bin (the compiled CLI): the server runs as its own process, so it can be killed. */
const BIN = fileURLToPath(new URL('../apps/cli/bin/cxr-audit.js', import.meta.url))

/** `cxr-audit serve` in a child process on loopback. */
export interface ServeProcess {
  readonly url: string
  readonly child: ChildProcess
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

/** Starts `cxr-audit serve --db <db>` on 127.0.0.1 (port 0: any free one) and waits until it listens. */
export function startServe(db: string, cwd: string, port = 0): Promise<ServeProcess> {
  const child = spawn(
    process.execPath,
    [BIN, 'serve', '--db', db, '--port', String(port), '--host', '127.0.0.1'],
    { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'pipe'] },
  )
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  )
  return new Promise((resolve, reject) => {
    let stderr = ''
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      stderr += d
      const m = stderr.match(/workbench on (http:\/\/127\.0\.0\.1:\d+)/)
      if (m !== null) resolve({ url: m[1]!, child, exited })
    })
    void exited.then(({ code }) => reject(new Error(`serve exited (${code}): ${stderr}`)))
  })
}

/** One HTTP/1.1 keep-alive connection per reader, as a browser tab holds one. */
function postJson(
  agent: Agent,
  url: string,
  body: unknown,
): Promise<{ status: number; text: string }> {
  const payload = JSON.stringify(body)
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
        },
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (d: string) => (text += d))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(payload)
  })
}

async function api<T>(url: string, method: 'GET' | 'POST', body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  })
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`)
  return (await res.json()) as T
}

/** What the simulated readers review: one audit's items, and a reader id each. */
export interface LoadPlan {
  readonly auditId: number
  readonly findingId: number
  readonly imageIds: readonly number[]
  readonly readers: readonly { readonly id: number; readonly name: string }[]
}

/** Creates an audit and `readers` readers through the API, as the workbench would. */
export async function planLoad(url: string, readers: number, tag: string): Promise<LoadPlan> {
  const { audit } = await api<{ audit: AuditDto }>(`${url}/api/audits`, 'POST', {
    name: `load ${tag}`,
    findings: ['Effusion'],
    positives: 20,
    negatives: 20,
    seed: 7,
  })
  const finding = audit.findings[0]!
  const sheet = await api<SheetDto>(
    `${url}/api/audits/${audit.id}/sheet?finding=${finding.findingId}&page=0`,
    'GET',
  )
  const out: { id: number; name: string }[] = []
  for (let r = 0; r < readers; r++) {
    const name = `Load reader ${tag} ${r + 1}`
    const { reader } = await api<{ reader: { id: number } }>(`${url}/api/readers`, 'POST', { name })
    out.push({ id: reader.id, name })
  }
  return {
    auditId: audit.id,
    findingId: finding.findingId,
    imageIds: sheet.items.map((i) => i.imageId),
    readers: out,
  }
}

export interface LoadResult {
  /** Latency of each acknowledged request, ms (a retried event: its last attempt). */
  readonly latencies: number[]
  /** Answers other than 200. */
  readonly errors: string[]
  /** Attempts that got no answer (connection refused or cut: the server was down). */
  readonly retries: number
  /** Every event the server acknowledged, by clientEventId. */
  readonly acknowledged: Set<string>
  readonly sent: number
  readonly seconds: number
}

export const eventId = (tag: string, reader: number, i: number): string =>
  `${tag}-r${String(reader).padStart(2, '0')}-${String(i).padStart(5, '0')}`

/**
 * Each reader sends `perReader` verdicts one request at a time, as fast as the server answers.
 * An attempt without an answer (the server is down) is retried with the same clientEventId
 * until acknowledged, as the workbench's outbox does; `url()` is read at each attempt, so a
 * restarted server on another port is found.
 */
export async function runReaders(
  url: () => string,
  plan: LoadPlan,
  o: { perReader: number; tag: string; onAck?: (total: number) => void },
): Promise<LoadResult> {
  const latencies: number[] = []
  const errors: string[] = []
  const acknowledged = new Set<string>()
  let retries = 0
  const verdicts = ['present', 'absent', 'uncertain'] as const
  const started = performance.now()
  await Promise.all(
    plan.readers.map(async (reader, r) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 })
      try {
        for (let i = 0; i < o.perReader; i++) {
          const id = eventId(o.tag, r, i)
          const body = {
            readerId: reader.id,
            events: [
              {
                kind: 'verdict',
                clientEventId: id,
                auditId: plan.auditId,
                imageId: plan.imageIds[(i * 7 + r) % plan.imageIds.length]!,
                findingId: plan.findingId,
                verdict: verdicts[(i + r) % 3]!,
              },
            ],
          }
          for (;;) {
            const t = performance.now()
            let answer: { status: number; text: string }
            try {
              answer = await postJson(agent, `${url()}/api/events`, body)
            } catch {
              retries++
              await new Promise((resolve) => setTimeout(resolve, 20))
              continue
            }
            if (answer.status !== 200) {
              errors.push(`${id}: ${answer.status} ${answer.text.slice(0, 200)}`)
              break
            }
            latencies.push(performance.now() - t)
            const ack = JSON.parse(answer.text) as EventsAnswer
            for (const a of ack.acknowledged) acknowledged.add(a)
            o.onAck?.(acknowledged.size)
            break
          }
        }
      } finally {
        agent.destroy()
      }
    }),
  )
  return {
    latencies,
    errors,
    retries,
    acknowledged,
    sent: plan.readers.length * o.perReader,
    seconds: (performance.now() - started) / 1000,
  }
}

/** The q-quantile of a sample (linear between order statistics). */
export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b)
  if (s.length === 0) return Number.NaN
  const at = (s.length - 1) * q
  const lo = Math.floor(at)
  return s[lo]! + (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!) * (at - lo)
}
