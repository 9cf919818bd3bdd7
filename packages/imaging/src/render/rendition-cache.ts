import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { resolveLimits, withTimeout, type ImageLimits } from '../limits.ts'
import { readImage, type ReadImage } from '../read-image.ts'
import { toDisplay, type DisplayOptions } from '../pixels/display.ts'
import { FileSource } from '../sources/file-source.ts'
import type { ImageSource } from '../sources/image-source.ts'
import type { GreyImage } from '../pixels/types.ts'
import { CACHE_FOLDER_CHARS, exists, FolderWriter } from './cache-files.ts'
import { decodePgm, encodePgm, MODEL_INPUT_SIZE, modelInputOf } from './model-input.ts'
import {
  DEFAULT_RENDER_SETTINGS,
  encodeThumbnail,
  encodeView,
  PREVIEW_SIZE,
  type RenderSettings,
} from './render.ts'

/** Bump when rendering changes, so that renditions made by older code are not served. */
export const RENDER_VERSION = 1

export interface RenditionCacheOptions {
  /** Folder of the cache; made when missing. */
  readonly dir: string
  /** Image roots: no file outside them is opened. Ignored when `source` is given. */
  readonly roots?: readonly string[]
  /** Where the images come from (default: the folders `roots`) [I23]. */
  readonly source?: ImageSource
  readonly limits?: Partial<ImageLimits>
  readonly render?: Partial<RenderSettings>
  /**
   * Model inputs {@link RenditionCache.prepare} keeps beside the thumbnail, by size (default
   * [MODEL_INPUT_SIZE]: the shipped embedding model's), so that `embed` reads them [I26].
   */
  readonly modelInputs?: readonly number[]
}

/** A rendition on disk, ready to be sent. */
export interface Rendition {
  /** Path of the rendition file inside the cache folder. */
  readonly file: string
  readonly contentType: 'image/jpeg' | 'image/png' | 'image/x-portable-graymap'
  /** True when it was already in the cache. */
  readonly cached: boolean
  /** sha-256 (hex) of the source image's bytes: a strong ETag for the rendition with `key`. */
  readonly hash: string
  /** Cache key: content hash, kind and parameters (also the file name without extension). */
  readonly key: string
}

/** Other work on an image's decoded pixels, done while the batch holds them (pixel facts...). */
export interface PixelUse {
  /** Whether the image with this content hash needs it (it is decoded for it when it does). */
  wants(contentHash: string): boolean
  /** Takes the preview, the header or the full decode: each is made once for the renditions and this. */
  use(image: ReadImage): Promise<void>
}

/** What {@link RenditionCache.prepare} did for one image. */
export interface Prepared {
  readonly file: string
  readonly hash: string
  /** The thumbnail, then the default view when asked. */
  readonly renditions: readonly Rendition[]
  /** True when `pixels.use` ran. */
  readonly used: boolean
}

/** One read of a source file; its pixels are decoded at most once, when first needed. */
interface Source extends ReadImage {
  readonly hash: string
  /** The source's note of this read still being written (see SourceBytes.remembered). */
  readonly remembered: Promise<void> | undefined
  /** The model input of that size from the preview (or the full decode), made once [I26]. */
  input(size: number): Promise<GreyImage>
}

/** A model input read from the cache or made from one decode [I26]. */
export interface ModelInput {
  readonly file: string
  readonly hash: string
  readonly input: GreyImage
  /** True when the film was decoded for it (its thumbnail and `pixels` work were done too). */
  readonly decoded: boolean
}

interface Spec {
  readonly kind: 'thumb' | 'view' | 'input'
  readonly params: string
  readonly ext: 'jpg' | 'png' | 'pgm'
  make(src: Source): Promise<Uint8Array>
}

/**
 * Thumbnails and view renditions made on demand and kept on disk, keyed by the sha-256 of the
 * source file's bytes plus the rendering parameters: a changed file gets a new key, so a stale
 * picture is never served. The source remembers the hash of what it read (files: against size,
 * mtime, ctime and inode), so a warm lookup is a `realpath`, a `stat` and a `stat` of the
 * rendition. Each rendition is written to a temporary file and renamed into place; concurrent
 * requests for one rendition make it once.
 */
export class RenditionCache {
  readonly dir: string
  readonly roots: readonly string[]
  readonly limits: ImageLimits
  readonly settings: RenderSettings
  readonly source: ImageSource
  readonly modelInputs: readonly number[]
  readonly #inflight = new Map<string, Promise<Rendition>>()
  readonly #writer = new FolderWriter()

  constructor(options: RenditionCacheOptions) {
    this.dir = options.dir
    this.source = options.source ?? new FileSource(options.roots ?? [])
    this.roots = this.source.roots
    this.limits = resolveLimits(options.limits)
    this.settings = { ...DEFAULT_RENDER_SETTINGS, ...options.render }
    this.modelInputs = options.modelInputs ?? [MODEL_INPUT_SIZE]
  }

  /** The thumbnail of `path` (JPEG, long side `thumbnailSize`, default display). */
  thumbnail(path: string): Promise<Rendition> {
    return this.#get(path, this.#thumbnailSpec())
  }

  /** The full-resolution windowed rendition of `path` (PNG, or JPEG per settings). */
  view(path: string, display: DisplayOptions = {}): Promise<Rendition> {
    return this.#get(path, this.#viewSpec(display))
  }

  /**
   * The thumbnail (and with `views` the default view) of `path`, and `pixels.use` when it wants
   * this content, all from one read and at most one decode of the file. Nothing is decoded when
   * the renditions are cached and `pixels` wants nothing. Throws ImageError for a bad file.
   */
  async prepare(
    path: string,
    options: { readonly views?: boolean; readonly pixels?: PixelUse } = {},
  ): Promise<Prepared> {
    const file = await this.source.locate(path)
    const specs = [
      this.#thumbnailSpec(),
      ...(options.views === true ? [this.#viewSpec({})] : []),
      ...this.modelInputs.map((size) => this.#inputSpec(size)),
    ]
    const known = await this.#knownHash(file)
    const wantedKnown = known && options.pixels?.wants(known.hash) === true
    if (known && !wantedKnown) {
      const hits = await Promise.all(specs.map((spec) => this.#cached(known.hash, spec)))
      if (hits.every((r) => r !== undefined))
        return { file, hash: known.hash, renditions: hits, used: false }
    }
    const src = await this.#read(file)
    // a view needs the full decode: start it first, so that the preview is reduced from it
    // rather than read from the file a second time
    if (options.views === true) src.loaded().catch(() => {})
    // `wants` is asked once per content
    const wanted = known?.hash === src.hash ? wantedKnown : options.pixels?.wants(src.hash) === true
    return this.#prepareRead(src, specs, options.pixels, wanted)
  }

  /** The sha-256 of a file inside the roots, from the memo when its stamp is unchanged. */
  async contentHash(path: string): Promise<{ file: string; hash: string }> {
    const file = await this.source.locate(path)
    const known = await this.#knownHash(file)
    if (known) return { file, hash: known.hash }
    const src = await this.#read(file)
    await src.remembered
    return { file, hash: src.hash }
  }

  /**
   * The model input of `size` for `path` [I26]: read from the cache when this content's input
   * is there (nothing decoded), else made from one decode of the film that also makes its
   * thumbnail and this input in the cache and runs `pixels` (facts) when it wants this content.
   * Either way the same grey values (lossless PGM), so vectors never depend on which command
   * ran first. Throws ImageError for a bad file.
   */
  async modelInput(
    path: string,
    size: number,
    options: { readonly pixels?: PixelUse } = {},
  ): Promise<ModelInput> {
    const file = await this.source.locate(path)
    const spec = this.#inputSpec(size)
    const fromCache = async (hash: string): Promise<ModelInput | undefined> => {
      if (options.pixels?.wants(hash) === true) return undefined
      const hit = await this.#cached(hash, spec)
      if (hit === undefined) return undefined
      const bytes = await readFile(hit.file).catch(() => undefined)
      if (bytes === undefined) return undefined
      try {
        const input = decodePgm(hit.file, bytes)
        if (input.width === size && input.height === size)
          return { file, hash, input, decoded: false }
      } catch {
        // a damaged cache file is made again below
      }
      return undefined
    }
    const known = await this.#knownHash(file)
    const warm = known && (await fromCache(known.hash))
    if (warm) return warm
    const src = await this.#read(file)
    if (src.hash !== known?.hash) {
      const hit = await fromCache(src.hash)
      if (hit) {
        await src.remembered
        return hit
      }
    }
    const prepared = await this.#prepareRead(src, [this.#thumbnailSpec(), spec], options.pixels)
    return { file, hash: prepared.hash, input: await src.input(size), decoded: true }
  }

  /** Renditions of a file already read, and `pixels.use` when it wants this content. */
  async #prepareRead(
    src: Source,
    specs: readonly Spec[],
    pixels: PixelUse | undefined,
    wanted = pixels?.wants(src.hash) === true,
  ): Promise<Prepared> {
    const use = wanted ? pixels : undefined
    // all at once from the one preview (or decode): the JPEG encode on libuv's pool overlaps
    // the model input and the facts on the main thread, and the file writes overlap each other
    const made = await Promise.allSettled([
      ...specs.map((spec) => this.#shared(src.file, spec, () => this.#make(src, spec))),
      use && withTimeout(src.file, this.limits, use.use(src)),
      src.remembered,
    ])
    // the first failure in order (a rendition's before the pixel work's), as one at a time did
    const failed = made.find((r) => r.status === 'rejected')
    if (failed) throw failed.reason
    const renditions = made
      .slice(0, specs.length)
      .map((r) => (r as PromiseFulfilledResult<Rendition>).value)
    return { file: src.file, hash: src.hash, renditions, used: use !== undefined }
  }

  #inputSpec(size: number): Spec {
    return {
      kind: 'input',
      params: String(size),
      ext: 'pgm',
      make: async (src) => encodePgm(await src.input(size)),
    }
  }

  #thumbnailSpec(): Spec {
    const s = this.settings
    return {
      kind: 'thumb',
      params: `${s.thumbnailSize}q${s.thumbnailQuality}`,
      ext: 'jpg',
      // the preview is the default thumbnail already reduced (and what the facts are made
      // from); a larger thumbnail needs the full display
      make: async (src) => {
        const from =
          s.thumbnailSize <= PREVIEW_SIZE ? await src.preview() : (await src.loaded()).display
        return encodeThumbnail(src.file, from, s)
      },
    }
  }

  #viewSpec(display: DisplayOptions): Spec {
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
    const asDefault =
      display.center === undefined &&
      display.width === undefined &&
      display.preset === undefined &&
      display.invert !== true
    return {
      kind: 'view',
      params: params || 'default',
      ext: s.viewFormat === 'png' ? 'png' : 'jpg',
      make: async (src) => {
        const { image, display: shown } = await src.loaded()
        const pixels = asDefault ? shown : { ...shown, pixels: toDisplay(image, display) }
        return encodeView(src.file, pixels, s)
      },
    }
  }

  /** The remembered hash of `file` while its content is unchanged; no I/O when nothing is known. */
  async #knownHash(file: string): Promise<{ hash: string } | undefined> {
    const hash = await this.source.knownHash(file)
    return hash === undefined ? undefined : { hash }
  }

  async #read(file: string): Promise<Source> {
    const { bytes, hash, remembered } = await this.source.read(file, this.limits)
    const read = readImage(file, bytes, hash, this.limits)
    const inputs = new Map<number, Promise<GreyImage>>()
    return Object.assign(read, {
      hash,
      remembered,
      input: (size: number) => {
        let made = inputs.get(size)
        if (made === undefined) inputs.set(size, (made = modelInputOf(read, size)))
        return made
      },
    })
  }

  #target(hash: string, spec: Spec): { key: string; path: string } {
    const params = spec.params.replace(/[^A-Za-z0-9._-]/g, '_')
    const key = `${hash}-${spec.kind}-v${RENDER_VERSION}-${params}`
    return { key, path: join(this.dir, hash.slice(0, CACHE_FOLDER_CHARS), `${key}.${spec.ext}`) }
  }

  #rendition(hash: string, spec: Spec, cached: boolean): Rendition {
    const t = this.#target(hash, spec)
    const contentType =
      spec.ext === 'png'
        ? 'image/png'
        : spec.ext === 'pgm'
          ? 'image/x-portable-graymap'
          : 'image/jpeg'
    return { file: t.path, contentType, cached, hash, key: t.key }
  }

  /** The rendition of content `hash` if it is on disk. */
  async #cached(hash: string, spec: Spec): Promise<Rendition | undefined> {
    const r = this.#rendition(hash, spec, true)
    return (await exists(r.file)) ? r : undefined
  }

  /** Makes the rendition of `src` unless it is on disk; the bytes rendered are the bytes keyed. */
  async #make(src: Source, spec: Spec): Promise<Rendition> {
    const hit = await this.#cached(src.hash, spec)
    if (hit) return hit
    const data = await withTimeout(src.file, this.limits, spec.make(src))
    const made = this.#rendition(src.hash, spec, false)
    await this.#writer.write(made.file, data)
    return made
  }

  /** One job per file and parameters: concurrent requests for a rendition share it. */
  async #shared(file: string, spec: Spec, job: () => Promise<Rendition>): Promise<Rendition> {
    const jobKey = `${file}\0${spec.kind}\0${spec.params}`
    const running = this.#inflight.get(jobKey)
    if (running) return running
    const started = job()
    this.#inflight.set(jobKey, started)
    try {
      return await started
    } finally {
      this.#inflight.delete(jobKey)
    }
  }

  async #get(path: string, spec: Spec): Promise<Rendition> {
    const file = await this.source.locate(path)
    const known = await this.#knownHash(file)
    const hit = known && (await this.#cached(known.hash, spec))
    if (hit) return hit
    // the shared job reads the file once for all its concurrent requests
    return this.#shared(file, spec, async () => {
      const src = await this.#read(file)
      const [made] = await Promise.all([this.#make(src, spec), src.remembered])
      return made
    })
  }
}
