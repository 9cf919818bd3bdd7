import { readFile } from 'node:fs/promises'
import { ImageError } from '../errors.ts'
import { ImageRoots } from '../files.ts'
import type { ImageLimits } from '../limits.ts'
import { sha256OffThread } from '../loaded-image.ts'
import { fileStamp } from '../render/cache-files.ts'
import { HashMemo, stampText, type Memo } from './hash-memo.ts'
import type { ImageSource, SourceBytes } from './image-source.ts'

/**
 * Images in folders [I12]. The hash of a file is remembered against its size, mtime, ctime and
 * inode (ctime changes on every write and cannot be set back by a user), so a warm lookup is a
 * `realpath` and a `stat` [I14]. With `memoDir` the memo is also kept on disk, a log per image
 * folder (HashMemo), so that the next process (`embed` after `thumbnails`, a restarted server) finds a
 * film's renditions without reading the film again [I25].
 */
export class FileSource implements ImageSource {
  readonly roots: readonly string[]
  readonly #roots: ImageRoots
  /** The memo without a memo folder (with one, HashMemo keeps it in memory too). */
  readonly #hashes = new Map<string, Memo>()
  readonly #memo: HashMemo | undefined

  constructor(roots: readonly string[], memoDir?: string) {
    this.roots = roots
    this.#roots = new ImageRoots(roots)
    this.#memo = memoDir === undefined ? undefined : new HashMemo(memoDir)
  }

  locate(name: string): Promise<string> {
    return this.#roots.resolve(name)
  }

  async knownHash(file: string): Promise<string | undefined> {
    const memo = this.#memo ? await this.#memo.get(file) : this.#hashes.get(file)
    if (!memo) return undefined
    const stamp = await fileStamp(file)
    return stamp && stampText(stamp) === memo.stamp ? memo.hash : undefined
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
    const memo = { stamp: stampText(stamp), hash }
    if (this.#memo === undefined) {
      this.#hashes.set(file, memo)
      return { location: file, bytes, hash }
    }
    // written while the film is decoded (the caller awaits it before it is done); a memo that
    // cannot be written only costs a read of the film next time
    return { location: file, bytes, hash, remembered: this.#memo.remember(file, memo) }
  }
}
