import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { sharedData } from '../../../test-support/shared-data.ts'

/** The real files the labels tests read (never copied into the repository). */
export const GOOGLE = {
  adjudicated: sharedData('expert/google-four-findings/validation_labels.csv'),
  readers: sharedData('expert/google-four-findings/validation_individual_readers.csv'),
}
export const METADATA = sharedData('cxr14/Data_Entry_2017_v2020.csv.gz')
export const IMAGES = sharedData('cxr14/images')

/**
 * The rows of the real 2020 metadata for the images Google judged (plus `extra` more, and those
 * named in `also`), written to
 * `dir`: a small real dataset for tests that run on both databases.
 */
export function googleSubsetMetadata(
  dir: string,
  extra = 0,
  also: ReadonlySet<string> = new Set(),
): string {
  const wanted = new Set(
    readFileSync(GOOGLE.adjudicated, 'utf8')
      .split(/\r?\n/)
      .slice(1)
      .map((l) => l.split(',')[0]!)
      .filter((s) => s !== ''),
  )
  const lines = gunzipSync(readFileSync(METADATA)).toString('utf8').split('\n')
  let more = extra
  const kept = lines.slice(1).filter((l) => {
    const name = l.split(',')[0]!
    if (wanted.has(name) || also.has(name)) return true
    if (more > 0 && name !== '') {
      more--
      return true
    }
    return false
  })
  const file = join(dir, 'metadata-subset.csv')
  writeFileSync(file, [lines[0], ...kept].join('\n') + '\n')
  return file
}
