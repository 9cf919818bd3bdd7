import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/**
 * The project's shared real data (`../shared/data` beside the repository). Tests read it in
 * place; the SIIM DICOMs must never be copied into the repository (their terms forbid it).
 */
export const SHARED_DATA = fileURLToPath(new URL('../../../../../shared/data/', import.meta.url))

/** Absolute path of `relative` inside the shared data; throws a clear error when it is missing. */
export function sharedData(relative = ''): string {
  const path = `${SHARED_DATA}${relative}`
  if (!existsSync(path)) {
    throw new Error(
      `missing shared test data: ${path} (the tests expect the project's shared/ folder beside the repository)`,
    )
  }
  return path
}

/** The small DICOM fixtures made by fixtures/make-fixtures.ts. */
export const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url))
