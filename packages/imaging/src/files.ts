import { open, realpath } from 'node:fs/promises'
import { isAbsolute, relative, resolve, sep } from 'node:path'
import { ImageError } from './errors.ts'
import type { ImageLimits } from './limits.ts'

function inside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate)
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel))
}

async function realRoots(roots: readonly string[]): Promise<string[]> {
  const out: string[] = []
  for (const root of roots) {
    try {
      out.push(await realpath(resolve(root)))
    } catch {
      // a root that does not exist holds no files; skipping it refuses nothing that it would allow
    }
  }
  return out
}

/**
 * A set of image roots whose real paths are resolved once and remembered (re-resolved once
 * before refusing a path, so a root that appears or moves later is honoured).
 */
export class ImageRoots {
  readonly roots: readonly string[]
  readonly #lexical: readonly string[]
  #real: Promise<string[]> | undefined

  constructor(roots: readonly string[]) {
    this.roots = roots
    this.#lexical = roots.map((r) => resolve(r))
  }

  /**
   * Resolves `path` to its real path and checks that it lies inside one of the roots (also
   * resolved to real paths). A relative `path` is taken relative to the first root. Refused
   * with ImageError 'outside-root': a path whose `..` segments leave every root (checked before
   * the file system is touched, so nothing outside is even probed), and a path whose symbolic
   * links lead outside every root. A missing file is 'not-found'.
   */
  async resolve(path: string): Promise<string> {
    if (this.roots.length === 0)
      throw new ImageError('outside-root', path, 'no image roots are configured')
    if (path.includes('\0')) throw new ImageError('not-found', path, 'the path contains a NUL byte')
    const candidate = resolve(this.#lexical[0] ?? '.', path)
    let real = await this.#realRoots(false)
    const lexicallyInside = (r: string[]): boolean =>
      this.#lexical.some((root) => inside(root, candidate)) ||
      r.some((root) => inside(root, candidate))
    if (!lexicallyInside(real) && !lexicallyInside((real = await this.#realRoots(true)))) {
      throw new ImageError(
        'outside-root',
        path,
        `the path leaves the image roots (${this.roots.join(', ')})`,
      )
    }
    let resolved: string
    try {
      resolved = await realpath(candidate)
    } catch (error) {
      throw new ImageError('not-found', path, 'no such file', { cause: error })
    }
    if (
      !real.some((r) => inside(r, resolved)) &&
      !(await this.#realRoots(true)).some((r) => inside(r, resolved))
    ) {
      throw new ImageError(
        'outside-root',
        path,
        `a symbolic link leads outside the image roots to ${resolved}`,
      )
    }
    return resolved
  }

  #realRoots(refresh: boolean): Promise<string[]> {
    if (refresh || !this.#real) this.#real = realRoots(this.roots)
    return this.#real
  }
}

/** {@link ImageRoots.resolve} for a one-off check. */
export function resolveInsideRoots(path: string, roots: readonly string[]): Promise<string> {
  return new ImageRoots(roots).resolve(path)
}

/** A file read whole after the root and size checks. */
export interface ReadFile {
  /** The real path. */
  readonly file: string
  readonly bytes: Buffer
  readonly size: number
  readonly mtimeMs: number
}

/** Size and change times of a file, used as a fingerprint for the content-hash memo. */
export interface FileStamp {
  readonly size: number
  readonly mtimeNs: bigint
  readonly ctimeNs: bigint
  readonly ino: bigint
}

/**
 * Resolves `path` inside `roots`, checks it is a regular, non-empty file no larger than
 * `limits.maxFileBytes`, and reads it.
 */
export async function readImageFile(
  path: string,
  roots: readonly string[] | ImageRoots,
  limits: ImageLimits,
): Promise<ReadFile> {
  const file = await (roots instanceof ImageRoots ? roots : new ImageRoots(roots)).resolve(path)
  const handle = await open(file, 'r').catch((error: unknown) => {
    throw new ImageError('not-found', file, 'cannot open the file', { cause: error })
  })
  try {
    const s = await handle.stat()
    if (!s.isFile()) throw new ImageError('not-an-image', file, 'not a regular file')
    if (s.size === 0) throw new ImageError('empty', file, 'the file is empty (0 bytes)')
    if (s.size > limits.maxFileBytes) {
      throw new ImageError(
        'too-large',
        file,
        `${s.size} bytes exceeds the limit of ${limits.maxFileBytes}`,
      )
    }
    const bytes = Buffer.allocUnsafe(s.size)
    let at = 0
    while (at < s.size) {
      const { bytesRead } = await handle.read(bytes, at, s.size - at, at)
      if (bytesRead === 0) break
      at += bytesRead
    }
    if (at < s.size) throw new ImageError('truncated', file, 'the file shrank while it was read')
    return { file, bytes, size: s.size, mtimeMs: s.mtimeMs }
  } finally {
    await handle.close()
  }
}
