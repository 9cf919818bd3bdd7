import { readFile } from 'node:fs/promises'
import { ImageError } from '../errors.ts'
import { ImageRoots, type FileStamp } from '../files.ts'
import type { ImageLimits } from '../limits.ts'
import { sha256 } from '../loaded-image.ts'
import { fileStamp, sameStamp } from '../render/cache-files.ts'
import type { ImageSource, SourceBytes } from './image-source.ts'

/**
 * Images in folders [I12]. The hash of a file is remembered against its size, mtime, ctime and
 * inode (ctime changes on every write and cannot be set back by a user), so a warm lookup is a
 * `realpath` and a `stat` [I14].
 */
export class FileSource implements ImageSource {
  readonly roots: readonly string[]
  readonly #roots: ImageRoots
  readonly #hashes = new Map<string, { stamp: FileStamp; hash: string }>()

  constructor(roots: readonly string[]) {
    this.roots = roots
    this.#roots = new ImageRoots(roots)
  }

  locate(name: string): Promise<string> {
    return this.#roots.resolve(name)
  }

  async knownHash(file: string): Promise<string | undefined> {
    const memo = this.#hashes.get(file)
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
    const hash = sha256(bytes)
    this.#hashes.set(file, { stamp, hash })
    return { location: file, bytes, hash }
  }
}
