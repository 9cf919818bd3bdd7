import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseInstancePath } from '@cxr-audit/core'
import {
  FileSource,
  ImageError,
  sha256,
  type ImageLimits,
  type ImageSource,
  type SourceBytes,
} from '@cxr-audit/imaging'
import { writeFileAtomically } from './atomic.ts'
import { isDicomwebRoot } from './root.ts'
import { credentialsFromEnv, timeoutFromEnv } from './auth.ts'
import { DicomwebClient } from './client.ts'
import { isDicomwebError } from './errors.ts'

/** Instances in flight per batch from a DICOMweb server. */
export const DICOMWEB_CONCURRENCY = 16

/**
 * The instances of one DICOMweb server as an image source [I23]: an item's path is
 * `studies/S/series/SE/instances/I` below the configured URL, and nothing else is ever requested
 * (a path of any other shape is refused as 'outside-root' before any request). Each instance
 * is fetched whole with WADO-RS and decoded like a file. A SOP Instance UID names one content
 * (PS3.3 C.12.1.1.1: changed content gets a new UID), so the content hash of a URL is remembered
 * on disk in `memoDir`: a cached thumbnail is then served without asking the server.
 */
export class DicomwebSource implements ImageSource {
  readonly roots: readonly string[]
  /** Requests a batch keeps open: each waits on the server, so more of them hide its latency
   * behind the decodes (measured in bench/dicomweb.bench.ts). */
  readonly concurrency = DICOMWEB_CONCURRENCY
  readonly client: DicomwebClient
  readonly #memoDir: string | undefined
  readonly #hashes = new Map<string, string>()

  constructor(client: DicomwebClient, memoDir?: string) {
    this.client = client
    this.roots = [client.url]
    this.#memoDir = memoDir
  }

  async locate(name: string): Promise<string> {
    const address = parseInstancePath(name)
    if (address === undefined)
      throw new ImageError(
        'outside-root',
        name,
        `not an instance of the DICOMweb server ${this.client.url} (studies/S/series/SE/instances/I)`,
      )
    return `${this.client.url}/${name}`
  }

  async knownHash(location: string): Promise<string | undefined> {
    const known = this.#hashes.get(location)
    if (known !== undefined || this.#memoDir === undefined) return known
    const text = await readFile(this.#memoFile(location), 'utf8').catch(() => '')
    if (!/^[0-9a-f]{64}$/.test(text)) return undefined
    this.#hashes.set(location, text)
    return text
  }

  async read(location: string, limits: ImageLimits): Promise<SourceBytes> {
    const path = location.startsWith(`${this.client.url}/`)
      ? location.slice(this.client.url.length + 1)
      : ''
    const address = parseInstancePath(path)
    if (address === undefined)
      throw new ImageError('outside-root', location, `not below ${this.client.url}`)
    let bytes: Uint8Array
    try {
      bytes = await this.client.retrieveInstance(address, limits.maxFileBytes)
    } catch (error) {
      if (!isDicomwebError(error)) throw error
      const kind =
        error.kind === 'not-found'
          ? 'not-found'
          : error.kind === 'too-large'
            ? 'too-large'
            : error.kind === 'bad-response'
              ? 'corrupt'
              : 'unavailable'
      throw new ImageError(kind, location, error.detail, { cause: error })
    }
    if (bytes.length === 0) throw new ImageError('empty', location, 'the server sent 0 bytes')
    const hash = sha256(bytes)
    this.#hashes.set(location, hash)
    if (this.#memoDir !== undefined)
      await writeFileAtomically(this.#memoFile(location), hash).catch(() => undefined)
    return { location, bytes, hash }
  }

  #memoFile(location: string): string {
    const key = createHash('sha256').update(location).digest('hex')
    return join(this.#memoDir!, key.slice(0, 2), `${key}.sha256`)
  }
}

/**
 * The image source of a dataset's roots: its DICOMweb server (credentials and timeout from the
 * environment [D4]; hashes remembered under `cacheDir`), or its folders.
 */
export function imageSourceFor(
  roots: readonly string[],
  o: { readonly cacheDir?: string; readonly env?: Record<string, string | undefined> } = {},
): ImageSource {
  const url = roots.find(isDicomwebRoot)
  if (url === undefined)
    return new FileSource(
      roots,
      o.cacheDir === undefined ? undefined : join(o.cacheDir, 'file-hashes'),
    )
  const env = o.env ?? process.env
  const client = new DicomwebClient({
    url,
    credentials: credentialsFromEnv(env),
    timeoutMs: timeoutFromEnv(env),
  })
  return new DicomwebSource(
    client,
    o.cacheDir === undefined ? undefined : join(o.cacheDir, 'dicomweb-hashes'),
  )
}
