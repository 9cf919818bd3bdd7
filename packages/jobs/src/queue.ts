import { createHash } from 'node:crypto'
import PgBoss from 'pg-boss'

/** The schema of the queue's own tables: apart from the project's, so `db copy` leaves it out. */
export const QUEUE_SCHEMA = 'pgboss'

/** A queue of batches kept in the project's PostgreSQL database (pg-boss) [T4]. */
export interface JobQueue {
  /**
   * Adds batches to a queue. A batch's id is derived from its content, so a batch already
   * waiting or running is not added twice [T5].
   */
  enqueue(queue: string, batches: readonly object[], o?: EnqueueOptions): Promise<EnqueueReport>
  /** Takes batches until `close()`; a handler's result is stored as the batch's output. */
  work<T extends object>(
    queue: string,
    handler: (batch: TakenBatch<T>) => Promise<object>,
    o?: { concurrency?: number | undefined },
  ): Promise<void>
  /** How many batches of each queue are waiting, running, done or failed [T8]. */
  progress(): Promise<QueueProgress[]>
  /** Every batch of a queue with its state, retries and output (newest last). */
  batches(queue: string): Promise<BatchState[]>
  /** Stops taking batches, lets running ones finish, closes the connections. */
  close(): Promise<void>
}

export interface EnqueueOptions {
  /**
   * Seconds a worker may hold a batch: a worker killed or cut off loses it after this long,
   * and it goes back to the queue for another worker [T6]. Default 900.
   */
  readonly timeoutSeconds?: number | undefined
  /** Attempts after the first (a failing batch is retried this often, then failed). Default 3. */
  readonly retries?: number | undefined
}

export interface EnqueueReport {
  readonly queued: number
  /** Batches that were already waiting or running with the same content. */
  readonly alreadyQueued: number
}

export interface TakenBatch<T> {
  readonly id: string
  readonly data: T
  /** 0 the first time; 1 or more when a worker before this one failed or vanished. */
  readonly retryCount: number
}

export interface QueueProgress {
  readonly queue: string
  readonly waiting: number
  readonly running: number
  readonly done: number
  readonly failed: number
}

export interface BatchState {
  readonly id: string
  readonly state: 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed'
  readonly retryCount: number
  readonly data: unknown
  readonly output: unknown
}

export interface QueueOptions {
  /** How often this process looks for batches held too long (seconds, default 10) [T6]. */
  readonly superviseSeconds?: number | undefined
  /** How often an idle worker asks for a batch (seconds, default 1). */
  readonly pollSeconds?: number | undefined
  /** False for a process that only enqueues or reads progress (no timers). */
  readonly supervise?: boolean | undefined
  /** pg-boss's background errors (a lost connection, a failed poll): it retries by itself. */
  readonly onError?: ((error: Error) => void) | undefined
}

type State = BatchState['state']
type Counts = Record<State | 'all', number>
/** The parts of pg-boss used here that its type declarations leave out. */
interface BossExtras {
  countStates(): Promise<Counts & { queues: Record<string, Counts> }>
}

/** A batch's id: a UUID made of its queue and content, so equal batches share it. */
export function batchId(queue: string, data: object): string {
  const h = createHash('sha256')
    .update(queue)
    .update('\0')
    .update(JSON.stringify(data))
    .digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`
}

/** Opens (and on first use creates) the job queue in a PostgreSQL database. */
export async function openJobQueue(url: string, o: QueueOptions = {}): Promise<JobQueue> {
  const supervise = o.supervise !== false
  const boss = new PgBoss({
    connectionString: url,
    schema: QUEUE_SCHEMA,
    supervise,
    schedule: false,
    maintenanceIntervalSeconds: o.superviseSeconds ?? 10,
    max: 4,
  })
  // without a listener an 'error' event would end the process; pg-boss retries by itself
  boss.on('error', (e) => o.onError?.(e))
  await boss.start()
  const created = new Set<string>()
  const ensureQueue = async (queue: string): Promise<void> => {
    if (created.has(queue)) return
    if ((await boss.getQueue(queue)) === null) {
      // two processes may create it at once: the loser's error is harmless
      await boss.createQueue(queue, { name: queue, policy: 'standard' }).catch(async (e) => {
        if ((await boss.getQueue(queue)) === null) throw e
      })
    }
    created.add(queue)
  }
  return {
    async enqueue(queue, batches, e = {}) {
      await ensureQueue(queue)
      let queued = 0
      for (const data of batches) {
        const id = await boss.send(queue, data, {
          id: batchId(queue, data),
          expireInSeconds: e.timeoutSeconds ?? 900,
          retryLimit: e.retries ?? 3,
          retryDelay: 0,
          // kept a week after it is done, so progress and outputs can be read
          retentionDays: 7,
        })
        if (id !== null) queued++
      }
      return { queued, alreadyQueued: batches.length - queued }
    },
    async work(queue, handler, w = {}) {
      await ensureQueue(queue)
      const concurrency = w.concurrency ?? 1
      for (let i = 0; i < concurrency; i++) {
        await boss.work<object>(
          queue,
          { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: o.pollSeconds ?? 1 },
          async ([job]) => {
            if (job === undefined) return {}
            return handler({ id: job.id, data: job.data as never, retryCount: job.retryCount })
          },
        )
      }
    },
    async progress() {
      const states = await (boss as unknown as BossExtras).countStates()
      return Object.entries(states.queues)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([queue, c]) => ({
          queue,
          waiting: c.created + c.retry,
          running: c.active,
          done: c.completed,
          failed: c.failed + c.cancelled,
        }))
    },
    async batches(queue) {
      return listBatches(boss, queue)
    },
    async close() {
      await boss.stop({ graceful: true, wait: true, timeout: 30_000 })
    },
  }
}

/** Every batch of a queue, read through pg-boss's own connection (its tables, not ours). */
async function listBatches(boss: PgBoss, queue: string): Promise<BatchState[]> {
  const rows = await boss
    .getDb()
    .executeSql(
      `select id, state, retry_count, data, output from ${QUEUE_SCHEMA}.job where name = $1 order by created_on, id`,
      [queue],
    )
  return rows.rows.map((r: Record<string, unknown>) => ({
    id: String(r['id']),
    state: r['state'] as State,
    retryCount: Number(r['retry_count']),
    data: r['data'],
    output: r['output'],
  }))
}
