import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** The shared real data beside the repository (`../shared/data`), as CI lays it out. */
export const SHARED_DATA = fileURLToPath(new URL('../../shared/data/', import.meta.url))

/** Absolute path of a file in ../shared/data; fails loudly (never skips) when it is missing. */
export function sharedData(relative: string): string {
  const path = SHARED_DATA + relative
  if (!existsSync(path)) {
    throw new Error(
      `missing test data ${path}: the tests read real data from ../shared/data beside the repository (see README, "Tests")`,
    )
  }
  return path
}
