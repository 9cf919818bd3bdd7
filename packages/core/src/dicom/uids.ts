/**
 * A DICOM UID as it may travel in a DICOMweb path: digits and dots only, at most 64 characters
 * (PS3.5 9.1). Strict enough that a UID can never add a path segment, a query or a host to a
 * URL [D3]; lenient on leading zeros, which real archives contain.
 */
export function isDicomUid(value: string): boolean {
  return value.length > 0 && value.length <= 64 && /^[0-9]+(\.[0-9]+)*$/.test(value)
}

/** The three UIDs that address an instance in DICOMweb (PS3.18 10.4.1). */
export interface InstanceAddress {
  readonly study: string
  readonly series: string
  readonly instance: string
}

/** `studies/S/series/SE/instances/I`: an item's path below the dataset's DICOMweb URL. */
export function instancePath(a: InstanceAddress): string {
  for (const uid of [a.study, a.series, a.instance])
    if (!isDicomUid(uid)) throw new RangeError(`"${uid}" is not a DICOM UID`)
  return `studies/${a.study}/series/${a.series}/instances/${a.instance}`
}

/** The address in an item's path, or undefined when the path is anything else [D3]. */
export function parseInstancePath(path: string): InstanceAddress | undefined {
  const m = /^studies\/([0-9.]+)\/series\/([0-9.]+)\/instances\/([0-9.]+)$/.exec(path)
  if (!m) return undefined
  const [study, series, instance] = [m[1]!, m[2]!, m[3]!]
  return [study, series, instance].every(isDicomUid) ? { study, series, instance } : undefined
}

/**
 * A UID made from 128 bits of a digest (PS3.5 B.2: the `2.25.` root followed by the integer
 * value of a UUID), marked as a name-based UUID of version 8 (RFC 9562) so it is a valid UUID.
 * `hex` is at least 32 hex digits; the first 32 are used.
 */
export function uidFromHex(hex: string): string {
  const d = hex.slice(0, 32).toLowerCase()
  if (!/^[0-9a-f]{32}$/.test(d)) throw new RangeError('uidFromHex needs 32 hex digits')
  const variant = ((parseInt(d[16]!, 16) & 0x3) | 0x8).toString(16)
  const uuid = `${d.slice(0, 12)}8${d.slice(13, 16)}${variant}${d.slice(17)}`
  return `2.25.${BigInt(`0x${uuid}`).toString(10)}`
}
