import { DicomwebError } from './errors.ts'

/**
 * Environment variables read for a DICOMweb server's credentials (never command-line options,
 * which other users of the machine can read in the process list) and tuning [D4].
 */
export const DICOMWEB_ENV = {
  token: 'CXR_AUDIT_DICOMWEB_TOKEN',
  user: 'CXR_AUDIT_DICOMWEB_USER',
  password: 'CXR_AUDIT_DICOMWEB_PASSWORD',
  timeout: 'CXR_AUDIT_DICOMWEB_TIMEOUT',
} as const

export type Credentials =
  | { readonly kind: 'none' }
  | { readonly kind: 'bearer'; readonly token: string }
  | { readonly kind: 'basic'; readonly user: string; readonly password: string }

/** Credentials from the environment: a bearer token wins over a user and password. */
export function credentialsFromEnv(env: Record<string, string | undefined>): Credentials {
  const token = env[DICOMWEB_ENV.token]
  if (token !== undefined && token !== '') return { kind: 'bearer', token }
  const user = env[DICOMWEB_ENV.user]
  if (user !== undefined && user !== '')
    return { kind: 'basic', user, password: env[DICOMWEB_ENV.password] ?? '' }
  return { kind: 'none' }
}

export function authorization(c: Credentials): string | undefined {
  if (c.kind === 'bearer') return `Bearer ${c.token}`
  if (c.kind === 'basic')
    return `Basic ${Buffer.from(`${c.user}:${c.password}`, 'utf8').toString('base64')}`
  return undefined
}

/** Request timeout in milliseconds from the environment (seconds), default 30 s. */
export function timeoutFromEnv(env: Record<string, string | undefined>): number {
  const raw = env[DICOMWEB_ENV.timeout]
  if (raw === undefined || raw === '') return 30_000
  const s = Number(raw)
  if (!Number.isFinite(s) || s <= 0)
    throw new DicomwebError('bad-url', DICOMWEB_ENV.timeout, `"${raw}" is not a number of seconds`)
  return Math.round(s * 1000)
}

/**
 * The base URL of a DICOMweb service, normalised without a trailing slash. Refused: anything but
 * http(s), credentials in the URL (they belong in the environment), a query or a fragment.
 */
export function baseUrl(url: string): string {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    throw new DicomwebError('bad-url', url, 'not a URL (expected e.g. http://pacs:8042/dicom-web)')
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new DicomwebError('bad-url', url, 'only http:// and https:// DICOMweb URLs are supported')
  if (u.username !== '' || u.password !== '')
    throw new DicomwebError(
      'bad-url',
      `${u.protocol}//${u.host}${u.pathname}`,
      `credentials do not belong in the URL: set ${DICOMWEB_ENV.user} and ${DICOMWEB_ENV.password}, or ${DICOMWEB_ENV.token}`,
    )
  if (u.search !== '' || u.hash !== '')
    throw new DicomwebError('bad-url', url, 'the URL must not have a query or a fragment')
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`
}
