import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const WEB = join(ROOT, 'apps/web')
const STAMP = join(WEB, 'dist/.built')
const LOCK = join(WEB, '.build-lock')

/** What the web bundle is made from: its sources, the API contract and the pure core it uses. */
const INPUTS = [
  join(WEB, 'src'),
  join(WEB, 'index.html'),
  join(WEB, 'vite.config.ts'),
  join(WEB, 'package.json'),
  join(ROOT, 'packages/contract/src'),
  join(ROOT, 'packages/core/src'),
]

async function newest(path: string): Promise<number> {
  const s = await stat(path).catch(() => null)
  if (s === null) return 0
  if (!s.isDirectory()) return s.mtimeMs
  let max = s.mtimeMs
  for (const e of await readdir(path)) max = Math.max(max, await newest(join(path, e)))
  return max
}

/** True when apps/web/dist is missing or older than any of its inputs. */
export async function webBuildIsStale(): Promise<boolean> {
  if (!existsSync(join(WEB, 'dist/index.html')) || !existsSync(STAMP)) return true
  const built = (await stat(STAMP)).mtimeMs
  for (const input of INPUTS) if ((await newest(input)) > built) return true
  return false
}

function runVite(): Promise<void> {
  const vite = join(ROOT, 'node_modules/vite/bin/vite.js')
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
      cwd: WEB,
      stdio: ['ignore', 'inherit', 'inherit'],
    })
    child.on('error', reject)
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`vite build failed (exit ${code})`)),
    )
  })
}

/**
 * Builds the web app when stale (vite, about a second). Several processes may ask at once (the
 * e2e specs run in parallel): one builds under a lock folder, the others wait for it.
 */
export async function ensureWebBuild(log: (s: string) => void = () => undefined): Promise<string> {
  const dist = join(WEB, 'dist')
  for (let waited = 0; ; waited++) {
    if (!(await webBuildIsStale())) return dist
    try {
      await mkdir(LOCK)
    } catch {
      const age = Date.now() - ((await stat(LOCK).catch(() => null))?.mtimeMs ?? Date.now())
      if (age > 120_000) await rm(LOCK, { recursive: true, force: true })
      else await new Promise((r) => setTimeout(r, 200)) // another process is building
      if (waited > 1000) throw new Error(`gave up waiting for ${LOCK}`)
      continue
    }
    try {
      if (await webBuildIsStale()) {
        log('Building the web app (vite)…')
        await runVite()
        await writeFile(STAMP, new Date().toISOString())
      }
      return dist
    } finally {
      await rm(LOCK, { recursive: true, force: true })
    }
  }
}
