import { spawn, type ChildProcess } from 'node:child_process'
import { BIN } from '../run-cli.ts'

/** For tests: a `cxr-audit worker` process, its output so far, a wait for a line, its exit. */
export function startWorker(
  db: string,
  cwd: string,
  extra: string[] = [],
): {
  child: ChildProcess
  stderr: () => string
  line: (re: RegExp) => Promise<RegExpMatchArray>
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }>
} {
  const child = spawn(process.execPath, [BIN, 'worker', '--db', db, '--jobs', '2', ...extra], {
    cwd,
    env: { ...process.env, NO_COLOR: '1' },
  })
  let stderr = ''
  let stdout = ''
  const waiting: { re: RegExp; resolve: (m: RegExpMatchArray) => void }[] = []
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr += d
    for (const w of [...waiting]) {
      const m = stderr.match(w.re)
      if (m !== null) {
        waiting.splice(waiting.indexOf(w), 1)
        w.resolve(m)
      }
    }
  })
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }>(
    (resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stdout })),
  )
  return {
    child,
    stderr: () => stderr,
    line: (re) =>
      new Promise((resolve) => {
        const m = stderr.match(re)
        if (m !== null) resolve(m)
        else waiting.push({ re, resolve })
      }),
    exit,
  }
}
