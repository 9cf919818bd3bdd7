import { instancePath, type DicomJsonDataset, type InstanceAddress } from '@cxr-audit/core'
import { authorization, baseUrl, type Credentials } from './auth.ts'
import { DicomwebError } from './errors.ts'
import { boundaryOf, buildMultipart, parseMultipart } from './multipart.ts'
import { exchange } from './transport.ts'

export interface ClientOptions {
  /** The DICOMweb base URL (e.g. http://127.0.0.1:8042/dicom-web): the only host contacted. */
  readonly url: string
  readonly credentials?: Credentials
  /** Longest one request may take, answer included (default 30 s). */
  readonly timeoutMs?: number
  /** Largest answer read, in bytes (default 512 MB, the image limit). */
  readonly maxBytes?: number
}

/** What STOW-RS said about each instance sent (PS3.18 10.5.3). */
export interface StowResult {
  readonly stored: string[]
  readonly failed: { readonly uid: string; readonly reason: string }[]
}

type Query = Readonly<Record<string, string | readonly string[]>>

/** QIDO-RS answers are read in pages of this many matches (PS3.18 8.3.4.4 limit/offset). */
const PAGE = 500
/** After this many requests in a row with no answer, the next ones fail at once for a while. */
const BREAKER = 5
const BREAKER_MS = 5_000

/**
 * A small DICOMweb client on node:http (QIDO-RS, WADO-RS, STOW-RS; PS3.18). Every URL
 * it requests is the base URL plus a path it builds from validated UIDs, so nothing a server or
 * an item name says can send it elsewhere [D3]. Failures are DicomwebError with a kind.
 */
export class DicomwebClient {
  readonly url: string
  readonly timeoutMs: number
  readonly maxBytes: number
  readonly #auth: string | undefined
  #failuresInARow = 0
  #downUntil = 0

  constructor(o: ClientOptions) {
    this.url = baseUrl(o.url)
    this.timeoutMs = o.timeoutMs ?? 30_000
    this.maxBytes = o.maxBytes ?? 512 * 1024 * 1024
    this.#auth = authorization(o.credentials ?? { kind: 'none' })
  }

  /** QIDO-RS for studies, every page. */
  searchStudies(query: Query = {}): Promise<DicomJsonDataset[]> {
    return this.#search('studies', query)
  }

  searchSeries(study: string, query: Query = {}): Promise<DicomJsonDataset[]> {
    return this.#search(`${studyPath(study)}/series`, query)
  }

  searchInstances(study: string, series: string, query: Query = {}): Promise<DicomJsonDataset[]> {
    return this.#search(`${studyPath(study)}/series/${uid(series)}/instances`, query)
  }

  /** WADO-RS: the whole instance as stored (any transfer syntax), as Part 10 bytes. */
  async retrieveInstance(a: InstanceAddress, maxBytes = this.maxBytes): Promise<Uint8Array> {
    const path = instancePath(a)
    const r = await this.#request(path, {
      accept: 'multipart/related; type="application/dicom"; transfer-syntax=*',
      maxBytes,
    })
    const type = r.headers.get('content-type') ?? ''
    const boundary = boundaryOf(type)
    if (!/^multipart\/related/i.test(type) || boundary === undefined)
      throw new DicomwebError('bad-response', r.url, `expected multipart/related, got "${type}"`)
    const part = parseMultipart(r.body, boundary, r.url)[0]
    if (part === undefined)
      throw new DicomwebError('bad-response', r.url, 'the answer holds no DICOM instance')
    return part.body
  }

  /** WADO-RS metadata of one instance (DICOM JSON, bulk data left out). */
  async retrieveMetadata(a: InstanceAddress): Promise<DicomJsonDataset> {
    const r = await this.#request(`${instancePath(a)}/metadata`, {
      accept: 'application/dicom+json',
    })
    const list = parseJson(r.body, r.url)
    const first = Array.isArray(list) ? (list[0] as DicomJsonDataset | undefined) : undefined
    if (first === undefined) throw new DicomwebError('bad-response', r.url, 'no metadata returned')
    return first
  }

  /** WADO-RS metadata of every instance of a series (PS3.18 10.4.1.1.2). */
  async retrieveSeriesMetadata(study: string, series: string): Promise<DicomJsonDataset[]> {
    const r = await this.#request(`${studyPath(study)}/series/${uid(series)}/metadata`, {
      accept: 'application/dicom+json',
    })
    const list = parseJson(r.body, r.url)
    if (!Array.isArray(list))
      throw new DicomwebError('bad-response', r.url, 'series metadata must be a JSON array')
    return list as DicomJsonDataset[]
  }

  /** STOW-RS: stores DICOM files in one request and reports each instance. */
  async store(files: readonly Uint8Array[]): Promise<StowResult> {
    const boundary = `cxr-audit-${Date.now().toString(36)}-${files.length}`
    const r = await this.#request('studies', {
      method: 'POST',
      accept: 'application/dicom+json',
      contentType: `multipart/related; type="application/dicom"; boundary=${boundary}`,
      body: buildMultipart(files, boundary),
      // 409: every instance failed; the body still says why
      okStatus: [200, 202, 409],
    })
    const ds = (r.body.length === 0 ? {} : parseJson(r.body, r.url)) as DicomJsonDataset
    const stored = (ds['00081199']?.Value ?? []).flatMap((it) => {
      const v = (it as DicomJsonDataset)['00081155']?.Value?.[0]
      return typeof v === 'string' ? [v] : []
    })
    const failed = (ds['00081198']?.Value ?? []).map((it) => {
      const item = it as DicomJsonDataset
      const code = item['00081197']?.Value?.[0]
      return {
        uid: String(item['00081155']?.Value?.[0] ?? ''),
        reason: `the server refused it (Failure Reason ${String(code ?? 'not given')})`,
      }
    })
    return { stored, failed }
  }

  async #search(path: string, query: Query): Promise<DicomJsonDataset[]> {
    const out: DicomJsonDataset[] = []
    for (let offset = 0; ; offset += PAGE) {
      const params = new URLSearchParams()
      for (const [k, v] of Object.entries(query))
        for (const one of typeof v === 'string' ? [v] : v) params.append(k, one)
      params.set('limit', String(PAGE))
      params.set('offset', String(offset))
      const r = await this.#request(`${path}?${params}`, { accept: 'application/dicom+json' })
      const page = r.status === 204 || r.body.length === 0 ? [] : parseJson(r.body, r.url)
      if (!Array.isArray(page))
        throw new DicomwebError('bad-response', r.url, 'a QIDO-RS answer must be a JSON array')
      out.push(...(page as DicomJsonDataset[]))
      if (page.length < PAGE) return out
    }
  }

  async #request(
    path: string,
    o: {
      accept: string
      method?: string
      contentType?: string
      body?: Uint8Array
      okStatus?: readonly number[]
      maxBytes?: number
    },
  ): Promise<{ url: string; status: number; headers: Headers; body: Uint8Array }> {
    const url = `${this.url}/${path}`
    if (Date.now() < this.#downUntil)
      throw new DicomwebError(
        'unavailable',
        url,
        `not tried: the server did not answer the last ${BREAKER} requests`,
      )
    const headers: Record<string, string> = { accept: o.accept }
    if (this.#auth !== undefined) headers['authorization'] = this.#auth
    if (o.contentType !== undefined) headers['content-type'] = o.contentType
    try {
      const ok = o.okStatus ?? [200, 204]
      const r = await exchange(
        {
          url,
          method: o.method ?? 'GET',
          headers,
          ...(o.body === undefined ? {} : { body: o.body }),
          timeoutMs: this.timeoutMs,
          maxBytes: o.maxBytes ?? this.maxBytes,
        },
        ok,
      )
      if (!ok.includes(r.status)) throw statusError(url, r.status)
      this.#failuresInARow = 0
      return { url, status: r.status, headers: r.headers, body: r.body }
    } catch (error) {
      const e =
        error instanceof DicomwebError
          ? error
          : new DicomwebError('unavailable', url, `the request failed (${String(error)})`, null, {
              cause: error,
            })
      if (e.kind === 'unavailable' || e.kind === 'timeout') {
        if (++this.#failuresInARow >= BREAKER) this.#downUntil = Date.now() + BREAKER_MS
      } else this.#failuresInARow = 0
      throw e
    }
  }
}

const uid = (u: string): string => {
  if (!/^[0-9]+(\.[0-9]+)*$/.test(u) || u.length > 64)
    throw new RangeError(`"${u}" is not a DICOM UID`)
  return u
}
const studyPath = (study: string): string => `studies/${uid(study)}`

function statusError(url: string, status: number): DicomwebError {
  if (status === 401 || status === 403)
    return new DicomwebError(
      'unauthorized',
      url,
      `the server refused the credentials (HTTP ${status}); set CXR_AUDIT_DICOMWEB_USER and CXR_AUDIT_DICOMWEB_PASSWORD, or CXR_AUDIT_DICOMWEB_TOKEN`,
      status,
    )
  if (status === 404)
    return new DicomwebError('not-found', url, 'no such object (HTTP 404)', status)
  if (status >= 500)
    return new DicomwebError('unavailable', url, `the server failed (HTTP ${status})`, status)
  return new DicomwebError('bad-response', url, `unexpected HTTP ${status}`, status)
}

function parseJson(body: Uint8Array, url: string): unknown {
  try {
    return JSON.parse(Buffer.from(body).toString('utf8')) as unknown
  } catch {
    throw new DicomwebError('bad-response', url, 'the answer is not JSON')
  }
}
