import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ImageError } from '../errors.ts'
import { ImageRoots, type FileStamp } from '../files.ts'
import type { ImageLimits } from '../limits.ts'
import { sha256OffThread } from '../loaded-image.ts'
import { CACHE_FOLDER_CHARS, fileStamp, FolderWriter, sameStamp } from '../render/cache-files.ts'
import type { ImageSource, SourceBytes } from './image-source.ts'

/**
 * Images in folders [I12]. The hash of a file is remembered against its size, mtime, ctime and
 * inode (ctime changes on every write and cannot be set back by a user), so a warm lookup is a
 * `realpath` and a `stat` [I14]. With `memoDir` the memo is also kept on disk, one small file
 * per image, so that the next process (`embed` after `thumbnails`, a restarted server) finds a
 * film's renditions without reading the film again [I25].
 */
export class FileSource implements ImageSource {
  readonly roots: readonly string[]
  readonly #roots: ImageRoots
  readonly #hashes = new Map<string, { stamp: FileStamp; hash: string }>()
  readonly #memoDir: string | undefined
  readonly #writer = new FolderWriter()

  constructor(roots: readonly string[], memoDir?: string) {
    this.roots = roots
    this.#roots = new ImageRoots(roots)
    this.#memoDir = memoDir
  }

  locate(name: string): Promise<string> {
    return this.#roots.resolve(name)
  }

  async knownHash(file: string): Promise<string | undefined> {
    const memo = this.#hashes.get(file) ?? (await this.#readMemo(file))
    if (!memo) return undefined
    const stamp = await fileStamp(file)
    return stamp && sameStamp(memo.stamp, stamp) ? memo.hash : undefined
  }

  async read(file: string, limits: ImageLimits): Promise<SourceBytes> {
    // The stamp is taken before reading: a write during the read changes ctime, so the memo
    // entry made here is then simply not reused.
    const stamp = await fileStamp(file)
    if (!stamp) throw new ImageError('not-found', file, 'cannot stat the file')
    if (!stamp.isFile) throw new ImageError('not-an-image', file, 'not a regular file')
    if (stamp.size === 0) throw new ImageError('empty', file, 'the file is empty (0 bytes)')
    if (stamp.size > limits.maxFileBytes) {
      throw new ImageError(
        'too-large',
        file,
        `${stamp.size} bytes exceeds the limit of ${limits.maxFileBytes}`,
      )
    }
    const bytes = await readFile(file).catch((error: unknown) => {
      throw new ImageError('not-found', file, 'cannot read the file', { cause: error })
    })
    if (bytes.length > limits.maxFileBytes) {
      throw new ImageError(
        'too-large',
        file,
        `${bytes.length} bytes exceeds the limit of ${limits.maxFileBytes}`,
      )
    }
    const hash = await sha256OffThread(bytes)
    this.#hashes.set(file, { stamp, hash })
    if (this.#memoDir === undefined) return { location: file, bytes, hash }
    const text = `${stamp.size} ${stamp.mtimeNs} ${stamp.ctimeNs} ${stamp.ino} ${hash}`
    // written while the film is decoded (the caller awaits it before it is done); a memo that
    // cannot be written only costs a read of the film next time
    const remembered = this.#writer
      .write(this.#memoFile(file), new TextEncoder().encode(text))
      .catch(() => undefined)
    return { location: file, bytes, hash, remembered }
  }

  /** The memo of `file` kept on disk by an earlier process, if any. */
  async #readMemo(file: string): Promise<{ stamp: FileStamp; hash: string } | undefined> {
    if (this.#memoDir === undefined) return undefined
    const text = await readFile(this.#memoFile(file), 'utf8').catch(() => '')
    const m = /^(\d+) (\d+) (\d+) (\d+) ([0-9a-f]{64})$/.exec(text)
    if (m === null) return undefined
    const memo = {
      stamp: {
        size: Number(m[1]),
        mtimeNs: BigInt(m[2]!),
        ctimeNs: BigInt(m[3]!),
        ino: BigInt(m[4]!),
      },
      hash: m[5]!,
    }
    this.#hashes.set(file, memo)
    return memo
  }

  #memoFile(file: string): string {
    const key = createHash('sha256').update(file).digest('hex')
    return join(this.#memoDir!, key.slice(0, CACHE_FOLDER_CHARS), `${key}.stamp`)
  }
}
