import { createHash, randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { ImageError } from '../errors.ts'
import { ImageRoots, type FileStamp } from '../files.ts'
import { resolveLimits, withTimeout, type ImageLimits } from '../limits.ts'
import type { DisplayOptions } from '../pixels/display.ts'
import {
  DEFAULT_RENDER_SETTINGS,
  renderThumbnail,
  renderView,
  type RenderSettings,
} from './render.ts'

/** Bump when rendering changes, so that renditions made by older code are not served. */
export const RENDER_VERSION = 1

export interface RenditionCacheOptions {
  /** Folder of the cache; made when missing. */
  readonly dir: string
  /** Image roots: no file outside them is opened. */
  readonly roots: readonly string[]
  readonly limits?: Partial<ImageLimits>
  readonly render?: Partial<RenderSettings>
}

/** A rendition on disk, ready to be sent. */
export interface Rendition {
  /** Path of the rendition file inside the cache folder. */
  readonly file: string
  readonly contentType: 'image/jpeg' | 'image/png'
  /** True when it was already in the cache. */
  readonly cached: boolean
  /** sha-256 (hex) of the source image's bytes: a strong ETag for the rendition with `key`. */
  readonly hash: string
  /** Cache key: content hash, kind and parameters (also the file name without extension). */
  readonly key: string
}

interface SourceBytes {
  readonly file: string
  readonly bytes: Buffer
  readonly hash: string
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

/**
 * Thumbnails and view renditions made on demand and kept on disk, keyed by the sha-256 of the
 * source file's bytes plus the rendering parameters: a changed file gets a new key, so a stale
 * picture is never served. The hash of a file is remembered per instance against its size,
 * mtime, ctime and inode (ctime changes on every write and cannot be set back by a user), so a
 * warm lookup is a `realpath`, a `stat` and an `stat` of the rendition. Each rendition is written
 * to a temporary file and renamed into place; concurrent requests for one rendition make it once.
 */
export class RenditionCache {
  readonly dir: string
  readonly roots: readonly string[]
  readonly limits: ImageLimits
  readonly settings: RenderSettings
  readonly #roots: ImageRoots
  readonly #hashes = new Map<string, { stamp: FileStamp; hash: string }>()
  readonly #inflight = new Map<string, Promise<Rendition>>()
  readonly #madeDirs = new Set<string>()

  constructor(options: RenditionCacheOptions) {
    this.dir = options.dir
    this.roots = options.roots
    this.#roots = new ImageRoots(options.roots)
    this.limits = resolveLimits(options.limits)
    this.settings = { ...DEFAULT_RENDER_SETTINGS, ...options.render }
  }

  /** The thumbnail of `path` (JPEG, long side `thumbnailSize`, default display). */
  thumbnail(path: string): Promise<Rendition> {
    const s = this.settings
    return this.#get(path, 'thumb', `${s.thumbnailSize}q${s.thumbnailQuality}`, 'jpg', (src) =>
      renderThumbnail(src.file, src.bytes, this.limits, s),
    )
  }

  /** The full-resolution windowed rendition of `path` (PNG, or JPEG per settings). */
  view(path: string, display: DisplayOptions = {}): Promise<Rendition> {
    const s = this.settings
    const params = [
      display.center !== undefined ? `c${display.center}` : '',
      display.width !== undefined ? `w${display.width}` : '',
      display.preset !== undefined && display.center === undefined && display.width === undefined
        ? `p${display.preset}`
        : '',
      display.invert === true ? 'i' : '',
      s.viewFormat === 'jpeg' ? `q${s.viewQuality}` : '',
    ].join('')
    const ext = s.viewFormat === 'png' ? 'png' : 'jpg'
    return this.#get(path, 'view', params || 'default', ext, (src) =>
      renderView(src.file, src.bytes, display, this.limits, s),
    )
  }

  /** The sha-256 of a file inside the roots, from the memo when its stamp is unchanged. */
  async contentHash(path: string): Promise<{ file: string; hash: string }> {
    const file = await this.#roots.resolve(path)
    const known = await this.#knownHash(file)
    if (known) return { file, hash: known.hash }
    const src = await this.#read(file)
    return { file, hash: src.hash }
  }

  /** The remembered hash of `file` if its stamp is unchanged; no I/O when nothing is known. */
  async #knownHash(file: string): Promise<{ hash: string } | undefined> {
    const memo = this.#hashes.get(file)
    if (!memo) return undefined
    const stamp = await fileStamp(file)
    return stamp && sameStamp(memo.stamp, stamp) ? { hash: memo.hash } : undefined
  }

  async #read(file: string): Promise<SourceBytes> {
    // The stamp is taken before reading: a write during the read changes ctime, so the memo
    // entry made here is then simply not reused.
    const stamp = await fileStamp(file)
    if (!stamp) throw new ImageError('not-found', file, 'cannot stat the file')
    if (!stamp.isFile) throw new ImageError('not-an-image', file, 'not a regular file')
    if (stamp.size === 0) throw new ImageError('empty', file, 'the file is empty (0 bytes)')
    if (stamp.size > this.limits.maxFileBytes) {
      throw new ImageError(
        'too-large',
        file,
        `${stamp.size} bytes exceeds the limit of ${this.limits.maxFileBytes}`,
      )
    }
    const bytes = await readFile(file).catch((error: unknown) => {
      throw new ImageError('not-found', file, 'cannot read the file', { cause: error })
    })
    if (bytes.length > this.limits.maxFileBytes) {
      throw new ImageError(
        'too-large',
        file,
        `${bytes.length} bytes exceeds the limit of ${this.limits.maxFileBytes}`,
      )
    }
    const hash = sha256(bytes)
    this.#hashes.set(file, { stamp, hash })
    return { file, bytes, hash }
  }

  async #write(path: string, data: Uint8Array): Promise<void> {
    const dir = dirname(path)
    if (!this.#madeDirs.has(dir)) {
      await mkdir(dir, { recursive: true })
      this.#madeDirs.add(dir)
    }
    try {
      await writeAtomically(path, data, false)
    } catch (error) {
      // the cache folder was removed behind our back: make it again, once
      if ((error as { code?: string }).code !== 'ENOENT') throw error
      this.#madeDirs.delete(dir)
      await writeAtomically(path, data, true)
      this.#madeDirs.add(dir)
    }
  }

  #target(hash: string, kind: string, params: string, ext: string): { key: string; path: string } {
    const key = `${hash}-${kind}-v${RENDER_VERSION}-${params.replace(/[^A-Za-z0-9._-]/g, '_')}`
    return { key, path: join(this.dir, hash.slice(0, 2), `${key}.${ext}`) }
  }

  async #get(
    path: string,
    kind: string,
    params: string,
    ext: 'jpg' | 'png',
    make: (src: SourceBytes) => Promise<Buffer>,
  ): Promise<Rendition> {
    const file = await this.#roots.resolve(path)
    const contentType = ext === 'png' ? 'image/png' : 'image/jpeg'
    const known = await this.#knownHash(file)
    if (known) {
      const t = this.#target(known.hash, kind, params, ext)
      if (await exists(t.path))
        return { file: t.path, contentType, cached: true, hash: known.hash, key: t.key }
    }
    // One job per file and parameters: concurrent requests share it and the file is read once.
    const jobKey = `${file}\0${kind}\0${params}`
    const running = this.#inflight.get(jobKey)
    if (running) return running
    const job = (async (): Promise<Rendition> => {
      // Read, then key by the hash of the very bytes that are rendered.
      const src = await this.#read(file)
      const t = this.#target(src.hash, kind, params, ext)
      if (await exists(t.path))
        return { file: t.path, contentType, cached: true, hash: src.hash, key: t.key }
      const data = await withTimeout(file, this.limits, make(src))
      await this.#write(t.path, data)
      return { file: t.path, contentType, cached: false, hash: src.hash, key: t.key }
    })()
    this.#inflight.set(jobKey, job)
    try {
      return await job
    } finally {
      this.#inflight.delete(jobKey)
    }
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).size > 0
  } catch {
    return false
  }
}

async function fileStamp(file: string): Promise<(FileStamp & { isFile: boolean }) | undefined> {
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

function sameStamp(a: FileStamp, b: FileStamp): boolean {
  return a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs && a.ino === b.ino
}

/** Writes `data` to a temporary file beside `path` and renames it into place. */
export async function writeAtomically(
  path: string,
  data: Uint8Array,
  makeDir = true,
): Promise<void> {
  if (makeDir) await mkdir(dirname(path), { recursive: true })
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
  try {
    await writeFile(temp, data, { flag: 'wx' })
    await rename(temp, path)
  } catch (error) {
    await unlink(temp).catch(() => undefined)
    throw error
  }
}
