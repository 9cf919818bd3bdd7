import { createHash } from 'node:crypto'
import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import { basename } from 'node:path'

/** Bytes read at a time: a few reads for a metadata file, bounded memory for a large one. */
const PIECE = 1 << 22

/**
 * SHA-256 and size of the files an import read, by role [R4]: the version of the data. Read
 * synchronously: an import's reading thread keeps libuv's pool busy with the same files, and
 * queued behind it the hashes took longer than the read itself.
 */
export async function hashSourceFiles(
  files: Readonly<Record<string, string | undefined>>,
): Promise<{ role: string; name: string; sha256: string; bytes: number }[]> {
  const out = []
  for (const [role, path] of Object.entries(files)) {
    if (path === undefined) continue
    const hash = createHash('sha256')
    const fd = openSync(path, 'r')
    try {
      const bytes = fstatSync(fd).size
      const buffer = Buffer.allocUnsafe(Math.min(PIECE, Math.max(1, bytes)))
      for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) {
        hash.update(buffer.subarray(0, n))
      }
      out.push({ role, name: basename(path), sha256: hash.digest('hex'), bytes })
    } finally {
      closeSync(fd)
    }
  }
  return out
}
