import type {
  ApiErrorBody,
  AuditDto,
  AuditProgressDto,
  CreateAuditBody,
  DatasetDto,
  DatasetPageDto,
  EventDto,
  EventsAnswer,
  FindingOption,
  ReaderDto,
  SheetDto,
} from '../../server/src/contract.ts'

export type * from '../../server/src/contract.ts'

/** A non-2xx answer: `kind` is the server's stable error kind. */
export class HttpError extends Error {
  override readonly name = 'HttpError'
  constructor(
    readonly status: number,
    readonly kind: string,
    message: string,
    readonly body: ApiErrorBody | null,
  ) {
    super(message)
  }
}

async function call<T>(method: string, url: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method, headers: { accept: 'application/json' } }
  if (body !== undefined) {
    init.body = JSON.stringify(body)
    init.headers = { ...init.headers, 'content-type': 'application/json' }
  }
  const res = await fetch(url, init)
  const text = await res.text()
  let json: unknown = null
  try {
    json = text === '' ? null : JSON.parse(text)
  } catch {
    json = null
  }
  if (!res.ok) {
    const err = (json as ApiErrorBody | null)?.error
    throw new HttpError(
      res.status,
      err?.kind ?? 'http',
      err?.message ?? `${res.status} ${res.statusText}`,
      json as ApiErrorBody | null,
    )
  }
  return json as T
}

const q = (params: Record<string, string | number | boolean | null | undefined>): string => {
  const s = new URLSearchParams()
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null) s.set(k, String(v))
  const t = s.toString()
  return t === '' ? '' : `?${t}`
}

export const api = {
  registerReader: (name: string) =>
    call<{ reader: ReaderDto }>('POST', '/api/readers', { name }).then((r) => r.reader),
  datasets: () => call<{ datasets: DatasetDto[] }>('GET', '/api/datasets').then((r) => r.datasets),
  dataset: (id: number) => call<DatasetPageDto>('GET', `/api/datasets/${id}`),
  findings: (id: number) =>
    call<{ findings: FindingOption[] }>('GET', `/api/datasets/${id}/findings`).then(
      (r) => r.findings,
    ),
  audits: () => call<{ audits: AuditDto[] }>('GET', '/api/audits').then((r) => r.audits),
  audit: (id: number, reader: number | null) =>
    call<{ audit: AuditDto; progress: AuditProgressDto }>(
      'GET',
      `/api/audits/${id}${q({ reader })}`,
    ),
  createAudit: (body: CreateAuditBody) =>
    call<{ audit: AuditDto; notes: string[] }>('POST', '/api/audits', body),
  sheet: (audit: number, finding: number, page: number, reader: number | null) =>
    call<SheetDto>('GET', `/api/audits/${audit}/sheet${q({ finding, page, reader })}`),
  problemSheet: (dataset: number, kind: string, page: number, reader: number | null) =>
    call<SheetDto>(
      'GET',
      `/api/datasets/${dataset}/problems/${encodeURIComponent(kind)}${q({ page, reader })}`,
    ),
  sendEvents: (readerId: number, events: readonly EventDto[]) =>
    call<EventsAnswer>('POST', '/api/events', { readerId, events }),
}

export const thumbnailUrl = (imageId: number): string => `/api/images/${imageId}/thumbnail`
export const viewUrl = (imageId: number): string => `/api/images/${imageId}/view`
