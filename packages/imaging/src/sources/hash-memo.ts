import { createHash } from 'node:crypto'
import { appendFile, mkdir, open } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { FileStamp } from '../files.ts'

/** A file's content hash and the stamp it was read under ("size mtimeNs ctimeNs ino"). */
export interface Memo {
  readonly stamp: string
  readonly hash: string
}

export const stampText = (s: FileStamp): string => `${s.size} ${s.mtimeNs} ${s.ctimeNs} ${s.ino}`

/** How long a folder's log is trusted before a miss reads what other processes added since. */
const RECHECK_MS = 1000
const LINE = /^([^\t]+)\t(\d+ \d+ \d+ \d+)\t([0-9a-f]{64})$/

interface Batch {
  readonly lines: string[]
  written: Promise<void>
}

interface Folder {
  readonly log: string
  readonly memos: Map<string, Memo>
  /** Bytes of the log read so far (whole lines only). */
  read: number
  checkedAt: number
  loading: Promise<void> | undefined
  /** Lines waiting for the write in flight to end; they go together in the next one. */
  open: Batch | undefined
  tail: Promise<void>
}

/**
 * The file-hash memo on disk [I25]: one append-only log per image folder, a line per film read
 * (`name TAB stamp TAB sha-256`, the last line of a name wins). A film used to get a file of its
 * own; making a file is the costly part (ext4 searches for a free inode, past every recently
 * deleted one), and a batch made three per film against vipsthumbnail's one (decision 055).
 * Processes append whole lines at once (O_APPEND), so several may share a log; each flush starts
 * with a newline, so a line cut short by a crash spoils no other. A log that cannot be read or
 * written only costs a read of the film.
 */
export class HashMemo {
  readonly dir: string
  readonly #recheckMs: number
  readonly #folders = new Map<string, Folder>()
  #dirMade: Promise<unknown> | undefined

  constructor(dir: string, options: { readonly recheckMs?: number } = {}) {
    this.dir = dir
    this.#recheckMs = options.recheckMs ?? RECHECK_MS
  }

  /** The memo of `file` (a real path), from this process or any earlier one. */
  async get(file: string): Promise<Memo | undefined> {
    const folder = this.#folder(dirname(file))
    await (folder.loading ??= this.#readNew(folder))
    const name = basename(file)
    const memo = folder.memos.get(name)
    if (memo !== undefined || Date.now() - folder.checkedAt < this.#recheckMs) return memo
    await (folder.loading = this.#readNew(folder))
    return folder.memos.get(name)
  }

  /** Records `memo` for `file`; resolves (never rejects) once the line is written or given up. */
  remember(file: string, memo: Memo): Promise<void> {
    const folder = this.#folder(dirname(file))
    const name = basename(file)
    folder.memos.set(name, memo)
    if (/[\t\n\r]/.test(name)) return Promise.resolve()
    let batch = folder.open
    if (batch === undefined) {
      const next: Batch = { lines: [], written: Promise.resolve() }
      next.written = folder.tail.then(async () => {
        folder.open = undefined
        await this.#append(folder.log, `\n${next.lines.join('')}`).catch(() => undefined)
      })
      folder.open = batch = next
      folder.tail = next.written
    }
    batch.lines.push(`${name}\t${memo.stamp}\t${memo.hash}\n`)
    return batch.written
  }

  #folder(path: string): Folder {
    let folder = this.#folders.get(path)
    if (folder === undefined) {
      const key = createHash('sha256').update(path).digest('hex').slice(0, 32)
      folder = {
        log: join(this.dir, `${key}.log`),
        memos: new Map(),
        read: 0,
        checkedAt: 0,
        loading: undefined,
        open: undefined,
        tail: Promise.resolve(),
      }
      this.#folders.set(path, folder)
    }
    return folder
  }

  /** Reads the whole lines the log gained since the last read (none when it is missing). */
  async #readNew(folder: Folder): Promise<void> {
    folder.checkedAt = Date.now()
    const text = await this.#readFrom(folder.log, folder.read).catch(() => undefined)
    if (text === undefined) return
    const end = text.lastIndexOf(0x0a) + 1
    folder.read += end
    for (const line of text.subarray(0, end).toString('utf8').split('\n')) {
      const m = LINE.exec(line)
      if (m !== null) folder.memos.set(m[1]!, { stamp: m[2]!, hash: m[3]! })
    }
  }

  async #readFrom(log: string, position: number): Promise<Buffer> {
    const handle = await open(log, 'r')
    try {
      const { size } = await handle.stat()
      const buffer = Buffer.alloc(Math.max(0, size - position))
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position)
      return buffer.subarray(0, bytesRead)
    } finally {
      await handle.close()
    }
  }

  async #append(log: string, text: string): Promise<void> {
    await (this.#dirMade ??= mkdir(this.dir, { recursive: true }))
    try {
      await appendFile(log, text)
    } catch (error) {
      if ((error as { code?: string }).code !== 'ENOENT') throw error
      // the folder was removed behind this process's back: made again, once
      this.#dirMade = mkdir(this.dir, { recursive: true })
      await this.#dirMade
      await appendFile(log, text)
    }
  }
}
