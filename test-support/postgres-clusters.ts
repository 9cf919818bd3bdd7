import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'

/** Where the test run's throwaway clusters live (test-support/postgres.ts reads it). */
export const PG_ROOT_ENV = 'CXR_AUDIT_PG_ROOT'

const PG_CTL = '/usr/lib/postgresql/15/bin/pg_ctl'

/**
 * vitest globalSetup: one folder for every PostgreSQL cluster the run's test processes start,
 * and a teardown that stops and removes them all. A test process stops its own cluster on exit,
 * but vitest ends its forks with a signal, when no exit handler runs: without this, every run
 * left its clusters behind in /tmp.
 */
export default function postgresClusters(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'cxr-audit-pg-run-'))
  // the clusters run as the postgres user when the tests run as root: it must reach its folder
  chmodSync(root, 0o755)
  process.env[PG_ROOT_ENV] = root
  return () => {
    for (const name of readdirSync(root)) {
      const data = join(root, name, 'data')
      if (!existsSync(join(data, 'postmaster.pid'))) continue
      const stop = ['-D', data, '-m', 'immediate', 'stop']
      if (userInfo().uid === 0) spawnSync('runuser', ['-u', 'postgres', '--', PG_CTL, ...stop])
      else spawnSync(PG_CTL, stop)
    }
    rmSync(root, { recursive: true, force: true })
  }
}
