import { createHash } from 'node:crypto'
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { resolveLimits } from '../limits.ts'
import { FileSource } from './file-source.ts'
import { HashMemo } from './hash-memo.ts'

const HASH_A = 'a'.repeat(64)
const HASH_B = 'b'.repeat(64)
const memoOf = (hash: string, stamp = '1 2 3 4') => ({ stamp, hash })

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cxr-hash-memo-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('[I25] the file-hash memo: one log per image folder', () => {
  it('is read back by a new process, one log file per folder, the last line of a name winning', async () => {
    const memoDir = join(dir, 'memo')
    const first = new HashMemo(memoDir)
    await Promise.all([
      first.remember('/films/one/a.png', memoOf(HASH_A)),
      first.remember('/films/one/b.png', memoOf(HASH_B)),
      first.remember('/films/two/a.png', memoOf(HASH_B, '5 6 7 8')),
    ])
    await first.remember('/films/one/a.png', memoOf(HASH_B, '9 9 9 9'))
    expect(readdirSync(memoDir)).toHaveLength(2)
    const next = new HashMemo(memoDir)
    expect(await next.get('/films/one/a.png')).toEqual(memoOf(HASH_B, '9 9 9 9'))
    expect(await next.get('/films/one/b.png')).toEqual(memoOf(HASH_B))
    expect(await next.get('/films/two/a.png')).toEqual(memoOf(HASH_B, '5 6 7 8'))
    expect(await next.get('/films/two/b.png')).toBeUndefined()
  })

  it('shares a log between processes: a miss reads what another added, once the log is stale', async () => {
    const memoDir = join(dir, 'memo')
    const server = new HashMemo(memoDir, { recheckMs: 0 })
    const cli = new HashMemo(memoDir)
    expect(await server.get('/films/a.png')).toBeUndefined()
    await cli.remember('/films/a.png', memoOf(HASH_A))
    expect(await server.get('/films/a.png')).toEqual(memoOf(HASH_A))
    // a process that read the log a moment ago does not read it again on every miss
    const patient = new HashMemo(memoDir, { recheckMs: 60_000 })
    expect(await patient.get('/films/b.png')).toBeUndefined()
    await cli.remember('/films/b.png', memoOf(HASH_B))
    expect(await patient.get('/films/b.png')).toBeUndefined()
  })

  it('skips a line cut short (a crash mid-write) without losing the lines written after it', async () => {
    const memoDir = join(dir, 'memo')
    const first = new HashMemo(memoDir)
    await first.remember('/films/a.png', memoOf(HASH_A))
    const [log] = readdirSync(memoDir)
    appendFileSync(join(memoDir, log!), `b.png\t1 2 3 4\t${HASH_B.slice(0, 20)}`)
    await new HashMemo(memoDir).remember('/films/c.png', memoOf(HASH_B))
    appendFileSync(join(memoDir, log!), 'not a memo line\n\n')
    const next = new HashMemo(memoDir)
    expect(await next.get('/films/a.png')).toEqual(memoOf(HASH_A))
    expect(await next.get('/films/b.png')).toBeUndefined()
    expect(await next.get('/films/c.png')).toEqual(memoOf(HASH_B))
  })

  it('writes the lines of films done while a write is in flight together, each promise kept', async () => {
    const memoDir = join(dir, 'memo')
    const memo = new HashMemo(memoDir)
    const names = Array.from({ length: 50 }, (_, i) => `/films/${i}.png`)
    await Promise.all(names.map((n, i) => memo.remember(n, memoOf(i % 2 ? HASH_A : HASH_B))))
    const [log] = readdirSync(memoDir)
    const text = readFileSync(join(memoDir, log!), 'utf8')
    const lines = text.split('\n').filter(Boolean)
    expect(lines).toHaveLength(50)
    // one write: a newline, then the 50 whole lines
    expect(text).toBe(`\n${lines.join('\n')}\n`)
    const next = new HashMemo(memoDir)
    for (const [i, n] of names.entries())
      expect((await next.get(n))?.hash).toBe(i % 2 ? HASH_A : HASH_B)
  })

  it('keeps a name it cannot write in this process only, and never fails when it cannot write', async () => {
    const memoDir = join(dir, 'memo')
    const memo = new HashMemo(memoDir)
    await memo.remember('/films/tab\there.png', memoOf(HASH_A))
    expect(await memo.get('/films/tab\there.png')).toEqual(memoOf(HASH_A))
    expect(await new HashMemo(memoDir).get('/films/tab\there.png')).toBeUndefined()
    // the memo folder removed behind the process's back is made again
    await memo.remember('/films/a.png', memoOf(HASH_A))
    rmSync(memoDir, { recursive: true })
    await memo.remember('/films/b.png', memoOf(HASH_B))
    expect(await new HashMemo(memoDir).get('/films/b.png')).toEqual(memoOf(HASH_B))
    // a memo folder that is a file: nothing written, nothing thrown
    const blocked = join(dir, 'blocked')
    writeFileSync(blocked, 'x')
    await expect(new HashMemo(blocked).remember('/films/a.png', memoOf(HASH_A))).resolves.toBe(
      undefined,
    )
  })
})

describe('[I25] FileSource with a memo folder', () => {
  it('lets the next process find a film by its stamp, and forgets it when the film changes', async () => {
    const films = join(dir, 'films')
    mkdirSync(films)
    const film = join(films, 'a.png')
    writeFileSync(film, 'not really a png')
    const hash = createHash('sha256').update(readFileSync(film)).digest('hex')
    const memoDir = join(dir, 'cache', 'file-hashes')
    const first = new FileSource([films], memoDir)
    const read = await first.read(await first.locate('a.png'), resolveLimits())
    expect(read.hash).toBe(hash)
    await read.remembered
    const next = new FileSource([films], memoDir)
    const located = await next.locate('a.png')
    expect(await next.knownHash(located)).toBe(hash)
    // a new mtime is a new stamp: the memo no longer vouches for the content
    utimesSync(film, new Date(2001, 1, 1), new Date(2001, 1, 1))
    expect(await new FileSource([films], memoDir).knownHash(located)).toBeUndefined()
  })

  it('still reads and hashes a film when the memo folder cannot be written', async () => {
    const films = join(dir, 'films')
    mkdirSync(films)
    writeFileSync(join(films, 'a.png'), 'bytes')
    // a folder that cannot be made (a file is in the way), whoever runs the test
    const blocked = join(dir, 'blocked')
    writeFileSync(blocked, 'x')
    const source = new FileSource([films], join(blocked, 'file-hashes'))
    const read = await source.read(await source.locate('a.png'), resolveLimits())
    await expect(read.remembered).resolves.toBe(undefined)
    expect(read.hash).toBe(createHash('sha256').update('bytes').digest('hex'))
  })
})
