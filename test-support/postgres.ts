import { execFileSync, spawnSync } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { createServer } from 'node:net'
import { PG_ROOT_ENV } from './postgres-clusters.ts'

const BIN = '/usr/lib/postgresql/15/bin'

/** A throwaway PostgreSQL 15 cluster on a private port and socket folder, for one test file. */
export interface TestPostgres {
  readonly url: string
  /** A fresh empty database in the cluster. */
  createDatabase(name: string): string
  stop(): void
}

/**
 * Starts a real PostgreSQL server (Debian's postgresql package; `.ci/run` installs it). Fails
 * with a clear message, never skips, when it is not installed.
 */
export async function startPostgres(): Promise<TestPostgres> {
  if (!existsSync(`${BIN}/initdb`)) {
    throw new Error(
      `PostgreSQL 15 is not installed (${BIN}/initdb): apt-get install postgresql (bash .ci/run does)`,
    )
  }
  // inside the test run's folder when vitest made one, so that its teardown stops what is left
  const dir = mkdtempSync(join(process.env[PG_ROOT_ENV] ?? tmpdir(), 'cxr-audit-pg-'))
  const data = join(dir, 'data')
  const port = await freePort()
  // initdb refuses to run as root: run the server as the postgres system user
  const asRoot = userInfo().uid === 0
  const run = (cmd: string, args: string[]): void => {
    const full = asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args]
    const r = spawnSync(full[0] as string, full[1] as string[], { encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr || r.stdout}`)
  }
  if (asRoot) {
    const pg = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim())
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim())
    chownSync(dir, pg, gid)
    chmodSync(dir, 0o700)
  }
  run(`${BIN}/initdb`, ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'])
  run(`${BIN}/pg_ctl`, [
    '-D',
    data,
    '-l',
    join(dir, 'log'),
    '-w',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`,
    'start',
  ])
  const base = `postgres://postgres@127.0.0.1:${port}`
  return {
    url: `${base}/postgres`,
    createDatabase(name) {
      run(`${BIN}/psql`, [
        '-h',
        dir,
        '-p',
        String(port),
        '-U',
        'postgres',
        '-c',
        `create database "${name}"`,
      ])
      return `${base}/${name}`
    },
    stop() {
      spawnSync(
        asRoot ? 'runuser' : `${BIN}/pg_ctl`,
        asRoot
          ? ['-u', 'postgres', '--', `${BIN}/pg_ctl`, '-D', data, '-m', 'immediate', 'stop']
          : ['-D', data, '-m', 'immediate', 'stop'],
      )
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.listen(0, '127.0.0.1', () => {
      const address = s.address()
      s.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      )
    })
  })
}
