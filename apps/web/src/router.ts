import { useSyncExternalStore } from 'react'

export type Route =
  | { readonly page: 'home' }
  | { readonly page: 'new-audit'; readonly dataset: number | null }
  | { readonly page: 'audit'; readonly audit: number }
  | { readonly page: 'results'; readonly audit: number }
  | { readonly page: 'models'; readonly model: number | null }
  | {
      readonly page: 'sheet'
      readonly audit: number
      readonly finding: number
      readonly index: number
    }
  | { readonly page: 'dataset'; readonly dataset: number }
  | { readonly page: 'learnability'; readonly dataset: number }
  | {
      readonly page: 'problem'
      readonly dataset: number
      readonly kind: string
      readonly index: number
    }
  | { readonly page: 'admin' }
  | { readonly page: 'not-found'; readonly path: string }

const int = (s: string | undefined): number | null =>
  s !== undefined && /^\d{1,9}$/.test(s) ? Number(s) : null

/**
 * Hash routes: #/, #/audits/new, #/audits/3, #/audits/3/sheet/7/0, #/audits/3/results,
 * #/datasets/1, #/datasets/1/learnability, #/models, #/models/2, ...
 */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/\?.*$/, '')
  const parts = path.split('/').filter((p) => p !== '')
  const [a, b, c, d, e] = parts
  if (parts.length === 0) return { page: 'home' }
  if (a === 'admin' && parts.length === 1) return { page: 'admin' }
  if (a === 'audits' && b === 'new' && parts.length <= 3)
    return { page: 'new-audit', dataset: int(c) }
  if (a === 'audits' && int(b) !== null && parts.length === 2)
    return { page: 'audit', audit: int(b)! }
  if (a === 'audits' && int(b) !== null && c === 'results' && parts.length === 3)
    return { page: 'results', audit: int(b)! }
  if (a === 'models' && parts.length <= 2 && (b === undefined || int(b) !== null))
    return { page: 'models', model: b === undefined ? null : int(b) }
  if (a === 'audits' && c === 'sheet' && int(b) !== null && int(d) !== null && int(e) !== null)
    return { page: 'sheet', audit: int(b)!, finding: int(d)!, index: int(e)! }
  if (a === 'datasets' && int(b) !== null && parts.length === 2)
    return { page: 'dataset', dataset: int(b)! }
  if (a === 'datasets' && int(b) !== null && c === 'learnability' && parts.length === 3)
    return { page: 'learnability', dataset: int(b)! }
  if (a === 'datasets' && c === 'problems' && int(b) !== null && d !== undefined && int(e) !== null)
    return { page: 'problem', dataset: int(b)!, kind: decodeURIComponent(d), index: int(e)! }
  return { page: 'not-found', path }
}

export const href = {
  home: (): string => '#/',
  admin: (): string => '#/admin',
  newAudit: (dataset?: number): string =>
    `#/audits/new${dataset === undefined ? '' : `/${dataset}`}`,
  audit: (id: number, done = false): string => `#/audits/${id}${done ? '?done' : ''}`,
  results: (id: number): string => `#/audits/${id}/results`,
  models: (id?: number): string => `#/models${id === undefined ? '' : `/${id}`}`,
  sheet: (audit: number, finding: number, page: number): string =>
    `#/audits/${audit}/sheet/${finding}/${page}`,
  dataset: (id: number): string => `#/datasets/${id}`,
  learnability: (id: number): string => `#/datasets/${id}/learnability`,
  problem: (dataset: number, kind: string, page: number): string =>
    `#/datasets/${dataset}/problems/${encodeURIComponent(kind)}/${page}`,
}

const subscribe = (fn: () => void): (() => void) => {
  window.addEventListener('hashchange', fn)
  return () => window.removeEventListener('hashchange', fn)
}

export function useHash(): string {
  return useSyncExternalStore(subscribe, () => window.location.hash)
}

export function go(to: string): void {
  if (window.location.hash !== to) window.location.hash = to
}
