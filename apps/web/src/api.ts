import type {
  ActivityDto,
  AssignmentDto,
  NoAccountsAnswer,
  SessionAnswer,
  UserDto,
  ApiErrorBody,
  AuditDto,
  AuditProgressDto,
  CreateAuditBody,
  DatasetDto,
  DatasetPageDto,
  LearnabilityDto,
  EventDto,
  EventsAnswer,
  FindingOption,
  JobsDto,
  GalleryAnswer,
  GalleryBody,
  GalleryReviewDto,
  ModelDto,
  ModelEvalDto,
  ModelPageDto,
  ReaderDto,
  ReadingEventDto,
  ReadingEventsAnswer,
  ResultsDto,
  SheetDto,
} from '@cxr-audit/contract'

export type * from '@cxr-audit/contract'

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

const CSRF_KEY = 'cxr-audit:csrf'

/** The session's CSRF token, kept per tab (accounts mode) and sent on every write [A7]. */
export function rememberCsrf(token: string | null, storage: Storage = sessionStorage): void {
  if (token === null) storage.removeItem(CSRF_KEY)
  else storage.setItem(CSRF_KEY, token)
}

async function call<T>(method: string, url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' }
  const init: RequestInit = { method, headers, credentials: 'same-origin' }
  if (body !== undefined) {
    init.body = JSON.stringify(body)
    headers['content-type'] = 'application/json'
  }
  const csrf = method === 'GET' ? null : sessionStorage.getItem(CSRF_KEY)
  if (csrf !== null) headers['x-csrf-token'] = csrf
  const res = await fetch(url, init)
  // the session ended (logout elsewhere, expiry, disabled): the app shows the login page
  if (res.status === 401 && url !== '/api/session')
    window.dispatchEvent(new CustomEvent('cxr:unauthenticated'))
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

type Param = string | number | boolean | null | undefined

const q = (params: Record<string, Param | readonly string[]>): string => {
  const s = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) {
    if (Array.isArray(v)) for (const x of v) s.append(k, x)
    else if (v !== undefined && v !== null) s.set(k, String(v))
  }
  const t = s.toString()
  return t === '' ? '' : `?${t}`
}

export const api = {
  session: () => call<SessionAnswer | NoAccountsAnswer>('GET', '/api/session'),
  login: (name: string, password: string) =>
    call<SessionAnswer>('POST', '/api/session', { name, password }),
  logout: () => call<{ ok: true }>('DELETE', '/api/session'),
  users: () => call<{ users: UserDto[] }>('GET', '/api/users').then((r) => r.users),
  createUser: (body: { name: string; role: string; password: string }) =>
    call<{ user: UserDto }>('POST', '/api/users', body),
  updateUser: (id: number, body: { role?: string; disabled?: boolean }) =>
    call<{ user: UserDto }>('PATCH', `/api/users/${id}`, body),
  assignments: (audit: number) =>
    call<{ assignments: AssignmentDto[] }>('GET', `/api/audits/${audit}/assignments`).then(
      (r) => r.assignments,
    ),
  assign: (audit: number, user: number, on: boolean) =>
    call<{ assignments: AssignmentDto[] }>(
      on ? 'PUT' : 'DELETE',
      `/api/audits/${audit}/assignments/${user}`,
    ),
  activity: (o: { user?: string; since?: string }) =>
    call<{ entries: ActivityDto[] }>('GET', `/api/activity${q(o)}`).then((r) => r.entries),
  registerReader: (name: string) =>
    call<{ reader: ReaderDto }>('POST', '/api/readers', { name }).then((r) => r.reader),
  datasets: () => call<{ datasets: DatasetDto[] }>('GET', '/api/datasets').then((r) => r.datasets),
  dataset: (id: number) => call<DatasetPageDto>('GET', `/api/datasets/${id}`),
  learnability: (id: number) => call<LearnabilityDto>('GET', `/api/datasets/${id}/learnability`),
  jobs: (id: number) => call<JobsDto>('GET', `/api/datasets/${id}/jobs`),
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
  sendReadingEvents: (readerId: number, events: readonly ReadingEventDto[]) =>
    call<ReadingEventsAnswer>('POST', '/api/reading-events', { readerId, events }),
  results: (audit: number, o: { reader?: string; by?: string; ci?: string }) =>
    call<ResultsDto>('GET', `/api/audits/${audit}/results${q(o)}`),
  models: () => call<{ models: ModelDto[] }>('GET', '/api/models').then((r) => r.models),
  model: (id: number) => call<ModelPageDto>('GET', `/api/models/${id}`),
  modelEval: (
    id: number,
    o: {
      against?: string
      threshold?: string
      by?: string[]
      compare?: boolean
      curves?: boolean
      cluster?: 'patient'
    },
  ) => call<ModelEvalDto>('GET', `/api/models/${id}/eval${q(o)}`),
  galleryReview: (model: number) =>
    call<GalleryReviewDto>('GET', `/api/models/${model}/gallery-review`),
  createGallery: (model: number, body: GalleryBody) =>
    call<GalleryAnswer>('POST', `/api/models/${model}/galleries`, body),
}

/**
 * The downloadable report of an audit: a separate page, never embedded in the app [W28]; `zip`
 * is its tables (CSV, LaTeX) and figures (SVG, PDF) [R8].
 */
export const reportUrl = (audit: number, format: 'html' | 'pdf' | 'zip', reader?: string): string =>
  `/api/audits/${audit}/report.${format}${q({ reader })}`

export const thumbnailUrl = (imageId: number): string => `/api/images/${imageId}/thumbnail`
/** Film n of a study item, frontal first [DS26]. */
export const filmThumbnailUrl = (imageId: number, n: number): string =>
  `/api/images/${imageId}/films/${n}/thumbnail`
export const viewUrl = (imageId: number): string => `/api/images/${imageId}/view`
