import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { Command } from 'commander'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { staleness } from '../bin/load-entry.js'
import { registerCommands } from './commands/index.ts'
import { globalOptions } from './main.ts'
import { runCli } from './run-cli.ts'

const DIST = new URL('../dist/', import.meta.url)

/** Every leaf command, as the words typed after `cxr-audit`, with its description. */
function leafCommands(): { words: string[]; description: string }[] {
  const program = new Command('cxr-audit')
  registerCommands(program, () => async () => undefined, globalOptions)
  const out: { words: string[]; description: string }[] = []
  const walk = (c: Command, words: string[]): void => {
    if (c.commands.length === 0) out.push({ words, description: c.description() })
    for (const sub of c.commands) walk(sub, [...words, sub.name()])
  }
  walk(program, [])
  return out
}

interface Meta {
  outputs: Record<
    string,
    {
      entryPoint?: string
      imports: { path: string; kind: string; external?: boolean }[]
      inputs: Record<string, unknown>
    }
  >
}

/**
 * What an output loads before its code runs (its static imports, followed): the npm packages
 * and the source files bundled into those outputs.
 */
function loadedAtStart(
  meta: Meta,
  output: string,
): { packages: Set<string>; sources: Set<string> } {
  const packages = new Set<string>()
  const sources = new Set<string>()
  const seen = new Set<string>()
  const todo = [output]
  while (todo.length > 0) {
    const o = todo.pop()!
    if (seen.has(o)) continue
    seen.add(o)
    for (const input of Object.keys(meta.outputs[o]!.inputs)) sources.add(input)
    for (const i of meta.outputs[o]!.imports) {
      if (i.kind !== 'import-statement') continue
      if (i.external !== true) todo.push(i.path)
      else if (!i.path.startsWith('node:')) packages.add(i.path)
    }
  }
  return { packages, sources }
}

/**
 * The heavy packages, and the command sources allowed to load each as they start. A new command
 * that truly needs one at start is added here; everything else loads it when used (the drivers
 * in openStore, for instance).
 */
const MAY_LOAD: Record<string, readonly string[]> = {
  'better-sqlite3': [],
  pg: [],
  sharp: [
    'images/thumbnails.ts',
    'labels/report.ts',
    'audit/serve.ts',
    'ml/embed.ts',
    'ml/embed-queue.ts',
    'jobs/worker.ts',
  ],
  // embed --queue checks the model once before queuing
  'onnxruntime-node': ['ml/embed.ts', 'ml/embed-queue.ts'],
  'playwright-core': ['labels/report.ts', 'audit/serve.ts'],
  fastify: ['audit/serve.ts'],
  '@fastify/static': ['audit/serve.ts'],
}

describe('start-up: lazy commands, compiled bin (docs/decisions/007)', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cxr-audit-startup-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('the bin runs the compiled build when it is up to date, and the sources when told to', () => {
    const compiled = runCli(['--help'], {
      env: { CXR_AUDIT_DEBUG_START: '1', CXR_AUDIT_FROM_SOURCE: '' },
    })
    expect(compiled.code).toBe(0)
    expect(compiled.stderr).toContain('running compiled apps/cli/dist/main.js')
    expect(compiled.stdout).toContain('Usage: cxr-audit')

    const source = runCli(['--help'], {
      env: { CXR_AUDIT_DEBUG_START: '1', CXR_AUDIT_FROM_SOURCE: '1' },
    })
    expect(source.code).toBe(0)
    expect(source.stderr).toContain('running the TypeScript sources through tsx')
    expect(source.stdout).toBe(compiled.stdout)
  })

  it('a build is stale when missing, older than one of its sources, or missing one', () => {
    const root = join(dir, 'repo')
    const dist = join(root, 'dist')
    mkdirSync(dist, { recursive: true })
    const distUrl = pathToFileURL(`${dist}/`)
    expect(staleness(distUrl, root)).toBe('apps/cli/dist is not built')

    writeFileSync(join(root, 'a.ts'), 'export {}\n')
    const builtAt = Date.now()
    const record = { builtAt, inputs: ['a.ts'] }
    writeFileSync(join(dist, 'build.json'), JSON.stringify(record))
    const at = (file: string, ms: number): void => utimesSync(file, ms / 1000, ms / 1000)
    at(join(root, 'a.ts'), builtAt - 60_000)
    expect(staleness(distUrl, root)).toBeNull()

    at(join(root, 'a.ts'), builtAt + 1_000)
    expect(staleness(distUrl, root)).toBe('a.ts changed since the build')

    writeFileSync(join(dist, 'build.json'), JSON.stringify({ builtAt, inputs: ['gone.ts'] }))
    expect(staleness(distUrl, root)).toBe('gone.ts changed since the build')
  })

  it('--help of every command works, and opens no database', () => {
    const commands = leafCommands()
    expect(commands.length).toBeGreaterThan(15)
    for (const { words, description } of commands) {
      const r = runCli([...words, '--help'], { cwd: dir })
      expect(r.code, `cxr-audit ${words.join(' ')} --help: ${r.stderr}`).toBe(0)
      expect(r.stdout).toContain(`Usage: cxr-audit ${words.join(' ')}`)
      expect(r.stdout).toContain(description.slice(0, 40))
      expect(r.stdout).toContain('--db <path|url>')
    }
    expect(existsSync(join(dir, 'cxr-audit.sqlite'))).toBe(false)
  })

  it('each command loads only the packages it needs as it starts; --help loads none', () => {
    const meta = JSON.parse(readFileSync(new URL('meta.json', DIST), 'utf8')) as Meta
    const main = Object.keys(meta.outputs).find((o) => o.endsWith('/main.js'))!
    expect([...loadedAtStart(meta, main).packages]).toEqual([])

    const commands = Object.entries(meta.outputs).filter(([, o]) =>
      o.entryPoint?.startsWith('apps/cli/src/'),
    )
    expect(commands.length).toBeGreaterThan(15)
    for (const [output, o] of commands) {
      const source = o.entryPoint!.replace('apps/cli/src/', '')
      const loaded = loadedAtStart(meta, output).packages
      for (const [pkg, allowed] of Object.entries(MAY_LOAD)) {
        if (allowed.includes(source)) continue
        expect(loaded.has(pkg), `${source} loads ${pkg} as it starts`).toBe(false)
      }
    }
  })

  it("a command loads only the modules of our packages it uses, not each package's whole index", () => {
    const meta = JSON.parse(readFileSync(new URL('meta.json', DIST), 'utf8')) as Meta
    const output = (source: string): string =>
      Object.keys(meta.outputs).find(
        (o) => meta.outputs[o]!.entryPoint === `apps/cli/src/${source}`,
      )!
    const thumbnails = [...loadedAtStart(meta, output('images/thumbnails.ts')).sources]
    expect(thumbnails).toContain('packages/imaging/src/facts.ts')
    // the statistics and the dataset readers are other commands' code (docs/decisions/055)
    expect(
      thumbnails.filter((s) => /core\/src\/stats\/|@stdlib|core\/src\/datasets\//.test(s)),
    ).toEqual([])
    const importCxr14 = [...loadedAtStart(meta, output('commands/import-cxr14.ts')).sources]
    expect(importCxr14).toContain('packages/core/src/cxr14/metadata.ts')
    expect(
      importCxr14.filter((s) => /core\/src\/(stats|models|audit)\/|@stdlib|imaging\//.test(s)),
    ).toEqual([])
  })
})
