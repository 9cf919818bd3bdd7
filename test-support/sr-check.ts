import { expect } from 'vitest'
import type { DicomAttributes } from '../packages/core/src/index.ts'

/** What one verdict report must say, field by field [D8]. */
export interface ExpectedReport {
  readonly patientName: string
  readonly patientId: string
  readonly study: string
  readonly imageSeries: string
  readonly image: string
  readonly imageClass: string
  readonly observer: string
  /** DA and TM of the content (the reader's last event). */
  readonly date: string
  readonly time: string
  /** [finding code, scheme, verdict code] in finding order. */
  readonly verdicts: readonly (readonly [string, string, string])[]
  readonly tags: readonly string[]
}

const codeOf = (a: DicomAttributes | undefined): [string, string, string] => [
  a?.text('00080100') ?? '',
  a?.text('00080102') ?? '',
  a?.text('00080104') ?? '',
]

/**
 * Checks every field of a verdict report read back (from the file, or as the archive parsed it):
 * the SOP class and module attributes, the copied patient and study, the new series, the
 * evidence reference, the observer, and each coded verdict with its image reference and tags.
 */
export function checkVerdictReport(a: DicomAttributes, e: ExpectedReport): void {
  expect(a.text('00080016')).toBe('1.2.840.10008.5.1.4.1.1.88.33')
  expect(a.text('00080060')).toBe('SR')
  expect(a.text('00100010')).toBe(e.patientName)
  expect(a.text('00100020')).toBe(e.patientId)
  expect(a.text('0020000D')).toBe(e.study)
  const series = a.text('0020000E')
  expect(series).toMatch(/^2\.25\.\d+$/)
  expect(series).not.toBe(e.imageSeries)
  expect(a.text('00080018')).toMatch(/^2\.25\.\d+$/)
  expect(a.text('0040A491')).toBe('COMPLETE')
  expect(a.text('0040A493')).toBe('UNVERIFIED')
  expect(a.text('00080023')).toBe(e.date)
  expect(a.text('00080033')).toBe(e.time)
  // Current Requested Procedure Evidence: study > series > the film
  const evidence = a.items('0040A375')
  expect(evidence).toHaveLength(1)
  expect(evidence[0]!.text('0020000D')).toBe(e.study)
  const refSeries = evidence[0]!.items('00081115')
  expect(refSeries.map((s) => s.text('0020000E'))).toEqual([e.imageSeries])
  const sop = refSeries[0]!.items('00081199')[0]
  expect([sop?.text('00081150'), sop?.text('00081155')]).toEqual([e.imageClass, e.image])
  // the root container and its content
  expect(a.text('0040A040')).toBe('CONTAINER')
  expect(codeOf(a.items('0040A043')[0])).toEqual(['18748-4', 'LN', 'Diagnostic Imaging Report'])
  const content = a.items('0040A730')
  const named = (items: DicomAttributes[], value: string) =>
    items.filter((i) => i.items('0040A043')[0]?.text('00080100') === value)
  const observerType = named(content, '121005')[0]
  expect(observerType?.text('0040A010')).toBe('HAS OBS CONTEXT')
  expect(codeOf(observerType?.items('0040A168')[0])).toEqual(['121006', 'DCM', 'Person'])
  const observer = named(content, '121008')[0]
  expect([observer?.text('0040A040'), observer?.text('0040A123')]).toEqual(['PNAME', e.observer])
  const findings = named(content, '121070')[0]!
  expect(findings.text('0040A040')).toBe('CONTAINER')
  const items = findings.items('0040A730')
  const codes = items.filter((i) => i.text('0040A040') === 'CODE')
  expect(
    codes.map((c) => {
      const [value, scheme] = codeOf(c.items('0040A043')[0])
      return [value, scheme, codeOf(c.items('0040A168')[0])[0]]
    }),
  ).toEqual(e.verdicts.map((v) => [...v]))
  for (const c of codes) {
    expect(c.text('0040A010')).toBe('CONTAINS')
    expect(c.text('0040A032')).toMatch(/^\d{14}(\.\d+)?\+0000$/)
    const ref = c.items('0040A730')[0]!
    expect([ref.text('0040A010'), ref.text('0040A040')]).toEqual(['INFERRED FROM', 'IMAGE'])
    expect(ref.items('00081199')[0]?.text('00081155')).toBe(e.image)
  }
  expect(items.filter((i) => i.text('0040A040') === 'TEXT').map((t) => t.text('0040A160'))).toEqual(
    [...e.tags],
  )
}
