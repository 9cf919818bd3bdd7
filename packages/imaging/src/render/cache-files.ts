import { randomBytes } from 'node:crypto'
import { mkdir, rename, stat, unlink, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { FileStamp } from '../files.ts'

/**
 * The cache's sub-folders are named by the first hex digit of the content hash: 16 folders, not
 * the 256 of two digits. ext4 searches its block groups for a place for each new folder: 216
 * films made 288 folders (renditions and hash memos), and 32 instead took 7% less time
 * (decision 054). A folder then holds about 15,000 files for ChestX-ray14's 112,120 films,
 * which ext4's hashed folders look up as fast as 500.
 */
export const CACHE_FOLDER_CHARS = 1

/** True when `path` exists and is not empty (a rendition is never an empty file). */
export async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).size > 0
  } catch {
    return false
  }
}

/** Size, times and inode of `file`, or undefined when it cannot be stat'ed. */
export async function fileStamp(
  file: string,
): Promise<(FileStamp & { isFile: boolean }) | undefined> {
  try {
    const s = await stat(file, { bigint: true })
    return {
      size: Number(s.size),
      mtimeNs: s.mtimeNs,
      ctimeNs: s.ctimeNs,
      ino: s.ino,
      isFile: s.isFile(),
    }
  } catch {
    return undefined
  }
}

// temporary names: the process id, a random tag drawn once and a counter are unique without a
// random draw per file (about 20 us each on the main thread, three files per film)
const TEMP_TAG = `${process.pid}.${randomBytes(6).toString('hex')}`
let temps = 0

/** Writes `data` to a temporary file beside `path` and renames it into place. */
export async function writeAtomically(
  path: string,
  data: Uint8Array,
  makeDir = true,
): Promise<void> {
  if (makeDir) await mkdir(dirname(path), { recursive: true })
  const temp = `${path}.${TEMP_TAG}.${(temps++).toString(36)}.tmp`
  try {
    await writeFile(temp, data, { flag: 'wx' })
    await rename(temp, path)
  } catch (error) {
    await unlink(temp).catch(() => undefined)
    throw error
  }
}

/**
 * Writes files atomically into folders made once per process rather than once per file; a
 * folder removed behind its back is made again, once.
 */
export class FolderWriter {
  readonly #made = new Set<string>()

  async write(path: string, data: Uint8Array): Promise<void> {
    const dir = dirname(path)
    if (!this.#made.has(dir)) {
      await mkdir(dir, { recursive: true })
      this.#made.add(dir)
    }
    try {
      await writeAtomically(path, data, false)
    } catch (error) {
      if ((error as { code?: string }).code !== 'ENOENT') throw error
      this.#made.delete(dir)
      await writeAtomically(path, data, true)
      this.#made.add(dir)
    }
  }
}
