import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const BUILD = fileURLToPath(new URL('../apps/cli/build.js', import.meta.url))

/**
 * vitest globalSetup: compiles apps/cli/dist when a source is newer than it, so that the CLI
 * tests run the compiled code users run, never a stale build (docs/decisions/007).
 */
export default function buildCli(): void {
  const r = spawnSync(process.execPath, [BUILD, '--if-stale'], { stdio: 'inherit' })
  if (r.status !== 0) throw new Error(`${BUILD} failed (exit ${r.status}): the CLI is not built`)
}
