import { spawn, spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** The file npm links as `cxr-audit`: it runs apps/cli/dist, built before the tests. */
export const BIN = fileURLToPath(new URL('../bin/cxr-audit.js', import.meta.url))

/** Runs the real `cxr-audit` binary (as a user would) and returns its exit code and output. */
export function runCli(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): {
  code: number
  stdout: string
  stderr: string
  json: () => unknown
} {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
  })
  return {
    code: r.status ?? -1,
    stdout: r.stdout,
    stderr: r.stderr,
    json: () => JSON.parse(r.stdout) as unknown,
  }
}

/**
 * {@link runCli} without blocking this process: for tests whose own servers (a proxy, a fake
 * slow archive) must keep answering while the command runs.
 */
export function runCliAsync(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<ReturnType<typeof runCli>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) =>
      resolve({ code: code ?? -1, stdout, stderr, json: () => JSON.parse(stdout) as unknown }),
    )
  })
}
