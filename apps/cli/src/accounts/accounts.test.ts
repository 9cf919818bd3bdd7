import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkLogin, openStore } from '@cxr-audit/store'
import { snapshot } from '@cxr-audit/store/testing'
import { DIALECTS, tempDatabase } from '../../../../test-support/temp-store.ts'
import { sharedData } from '../../../../test-support/shared-data.ts'
import { parseSince } from './log.ts'

const BIN = fileURLToPath(new URL('../../bin/cxr-audit.js', import.meta.url))

interface Run {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** The real bin in a child process, with `input` on its stdin (a pipe, as a script gives it). */
function run(args: readonly string[], input = ''): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }))
    child.stdin.end(input)
  })
}

describe.each(DIALECTS)('cxr-audit user and log (child processes, %s)', (kind) => {
  let dir: string
  let db: string
  const cli = (args: string[], input?: string) => run([...args, '--db', db], input)

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cxr-audit-accounts-cli-'))
    db = await tempDatabase(kind, dir)
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('[A3] user add reads the password from stdin, prints the user, never the password', async () => {
    const r = await cli(
      ['user', 'add', '--name', 'ana', '--role', 'admin', '--password-stdin', '--json'],
      'a long secret\n',
    )
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual({
      user: {
        id: expect.any(Number),
        name: 'ana',
        role: 'admin',
        disabled: false,
        createdAt: expect.any(String),
      },
    })
    expect(r.stdout + r.stderr).not.toContain('a long secret')
    const store = await openStore(db)
    try {
      expect(await checkLogin(store.db, 'ana', 'a long secret')).toMatchObject({ role: 'admin' })
    } finally {
      await store.close()
    }
  })

  it('[A3] bad input exits 2 and changes nothing', async () => {
    const store = await openStore(db)
    const before = await snapshot(store, ['reader', 'activity'])
    await store.close()
    const cases: [string[], string, RegExp][] = [
      [['user', 'add', '--name', 'bob', '--role', 'reader'], 'x', /--password-stdin/],
      [
        ['user', 'add', '--name', 'bob', '--role', 'root', '--password-stdin'],
        'longenough',
        /admin, reader or viewer/,
      ],
      [
        ['user', 'add', '--name', 'bob', '--role', 'reader', '--password-stdin'],
        'short',
        /at least 8/,
      ],
      [
        ['user', 'add', '--name', 'ana', '--role', 'reader', '--password-stdin'],
        'longenough',
        /exists/,
      ],
      [
        ['user', 'add', '--name', '<script>', '--role', 'reader', '--password-stdin'],
        'longenough',
        /letters, digits/,
      ],
      [
        ['user', 'passwd', '--name', 'nobody', '--password-stdin'],
        'longenough',
        /no user "nobody"/,
      ],
      [['user', 'disable', '--name', 'nobody'], '', /no user/],
      [['log', '--since', 'last tuesday'], '', /--since/],
    ]
    for (const [args, input, message] of cases) {
      const r = await cli([...args, '--json'], input)
      expect(r.code, args.join(' ')).toBe(2)
      expect(JSON.parse(r.stdout).error.message).toMatch(message)
    }
    const after = await openStore(db)
    try {
      expect(await snapshot(after, ['reader', 'activity'])).toEqual(before)
    } finally {
      await after.close()
    }
  })

  it('[A3] passwd, disable, enable, role and list; log shows each change with who did it', async () => {
    expect(
      (await cli(['user', 'add', 'rita', '--role', 'reader', '--password-stdin'], 'rita-pass-1'))
        .code,
    ).toBe(0)
    expect((await cli(['user', 'passwd', 'rita', '--password-stdin'], 'rita-pass-2\n')).code).toBe(
      0,
    )
    expect((await cli(['user', 'disable', '--name', 'rita'])).code).toBe(0)
    const list = JSON.parse((await cli(['user', 'list', '--json'])).stdout) as {
      users: { name: string; role: string; disabled: boolean }[]
    }
    expect(list.users.map((u) => [u.name, u.role, u.disabled])).toEqual([
      ['ana', 'admin', false],
      ['rita', 'reader', true],
    ])
    expect((await cli(['user', 'enable', 'rita'])).code).toBe(0)
    expect((await cli(['user', 'role', 'rita', '--role', 'viewer'])).code).toBe(0)
    const log = JSON.parse((await cli(['log', '--json', '--since', '1h'])).stdout) as {
      entries: { actor: string; action: string; target: string }[]
    }
    expect(log.entries.map((e) => `${e.action} ${e.target}`)).toEqual([
      'user.add ana',
      'user.add rita',
      'user.passwd rita',
      'user.disable rita',
      'user.enable rita',
      'user.role rita',
    ])
    expect(new Set(log.entries.map((e) => e.actor)).size).toBe(1)
    expect(log.entries[0]!.actor).toMatch(/^cli:/)
    const none = JSON.parse((await cli(['log', '--json', '--user', 'nobody'])).stdout)
    expect(none).toEqual({ entries: [] })
    const human = await cli(['log', '--user', log.entries[0]!.actor])
    expect(human.stdout).toMatch(/user\.passwd\s+rita/)
    expect(human.stdout).not.toMatch(/rita-pass/)
  })

  it('[A9] a CLI import is logged with its options, after it succeeded', async () => {
    const csv = gunzipSync(readFileSync(sharedData('cxr14/Data_Entry_2017_v2020.csv.gz')))
      .toString('utf8')
      .split('\n')
      .slice(0, 4)
    const metadata = join(dir, 'meta.csv')
    writeFileSync(metadata, `${csv.join('\n')}\n`)
    const r = await cli(['import', 'cxr14', '--metadata', metadata, '--name', 'tiny', '--json'])
    expect(r.code, r.stderr).toBe(0)
    const failed = await cli(['import', 'cxr14', '--metadata', join(dir, 'missing.csv'), '--json'])
    expect(failed.code).toBe(2)
    const log = JSON.parse((await cli(['log', '--json'])).stdout) as {
      entries: { action: string; detail: Record<string, unknown> }[]
    }
    const imports = log.entries.filter((e) => e.action === 'import cxr14')
    expect(imports).toHaveLength(1)
    expect(imports[0]!.detail).toMatchObject({ metadata, name: 'tiny' })
  })

  it('[A7] serve on a non-loopback address without --accounts exits 2 and says why and how', async () => {
    const r = await cli(['serve', '--host', '0.0.0.0', '--port', '0'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/refusing to listen on 0\.0\.0\.0 without accounts/)
    expect(r.stderr).toMatch(/--accounts/)
    expect(r.stderr).toMatch(/user add/)
  })
})

describe('--since', () => {
  it('[A9] takes a date, a time or a span back from now', () => {
    const now = Date.parse('2026-03-10T12:00:00Z')
    expect(parseSince('2026-03-01', now)).toBe('2026-03-01T00:00:00.000Z')
    expect(parseSince('2026-03-01T08:30Z', now)).toBe('2026-03-01T08:30:00.000Z')
    expect(parseSince('12h', now)).toBe('2026-03-10T00:00:00.000Z')
    expect(parseSince('7d', now)).toBe('2026-03-03T12:00:00.000Z')
    expect(() => parseSince('soon', now)).toThrow(/--since/)
  })
})
