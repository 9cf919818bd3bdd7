/**
 * Many readers at once (issue 13): 20 simulated readers on loopback, each sending 1,000 verdicts
 * one request at a time as fast as `cxr-audit serve` answers, on SQLite and on PostgreSQL.
 * Prints throughput and p50/p99 latency per backend; the target is p99 under 50 ms on SQLite
 * with 20 readers on a 2-core machine. The PostgreSQL server is the tests' throwaway cluster
 * (fsync off): it measures the server and the queries, not a disk.
 *
 *   npx tsx bench/reader-load.bench.ts        (READERS=20 PER_READER=1000 to change the load)
 */
import { readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { StoreKind } from '@cxr-audit/store'
import { buildFixture } from '../apps/server/src/testing/fixture.ts'
import { planLoad, quantile, runReaders, startServe } from '../test-support/reader-load.ts'

const READERS = Number(process.env['READERS'] ?? 20)
const PER_READER = Number(process.env['PER_READER'] ?? 1000)
const TARGET_P99_MS = 50

/** CPU seconds a process has used (Linux /proc, 100 ticks a second): the server's own cost. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

async function run(kind: StoreKind): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'cxr-bench-load-'))
  const fixture = await buildFixture({ dir, kind, images: 60 })
  const server = await startServe(fixture.db, dir)
  try {
    // warm-up: connections, JIT, the audit's pages
    const warm = await planLoad(server.url, READERS, 'warm')
    await runReaders(() => server.url, warm, { perReader: 20, tag: 'warm' })
    const plan = await planLoad(server.url, READERS, 'bench')
    const cpuBefore = cpuSeconds(server.child.pid!)
    const r = await runReaders(() => server.url, plan, { perReader: PER_READER, tag: 'bench' })
    const cpu = cpuSeconds(server.child.pid!) - cpuBefore
    const ms = (q: number): string => quantile(r.latencies, q).toFixed(1)
    const p99 = quantile(r.latencies, 0.99)
    console.log(
      `${kind.padEnd(8)} ${READERS} readers x ${PER_READER} verdicts: ${r.sent} requests in ${r.seconds.toFixed(1)} s = ${(r.sent / r.seconds).toFixed(0)} verdicts/s; latency p50 ${ms(0.5)} ms, p90 ${ms(0.9)} ms, p99 ${ms(0.99)} ms, max ${ms(1)} ms; server CPU ${((1000 * cpu) / r.sent).toFixed(2)} ms a verdict; errors ${r.errors.length}` +
        (kind === 'sqlite'
          ? ` (target p99 < ${TARGET_P99_MS} ms: ${p99 < TARGET_P99_MS ? 'met' : 'NOT met'})`
          : ''),
    )
    return r.errors.length
  } finally {
    server.child.kill('SIGTERM')
    await server.exited
    await rm(dir, { recursive: true, force: true })
  }
}

const errors = (await run('sqlite')) + (await run('postgres'))
process.exit(errors === 0 ? 0 : 1)
