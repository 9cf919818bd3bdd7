import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { basename } from 'node:path'

/** SHA-256 and size of the files an import read, by role [R4]: the version of the data. */
export async function hashSourceFiles(
  files: Readonly<Record<string, string | undefined>>,
): Promise<{ role: string; name: string; sha256: string; bytes: number }[]> {
  const out = []
  for (const [role, path] of Object.entries(files)) {
    if (path === undefined) continue
    const hash = createHash('sha256')
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
    out.push({
      role,
      name: basename(path),
      sha256: hash.digest('hex'),
      bytes: (await stat(path)).size,
    })
  }
  return out
}
