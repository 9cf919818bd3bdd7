import {
  ModelSpecError,
  parseModelOptions,
  type ModelOptions,
  type ModelOptionsText,
} from '@cxr-audit/core'
import { UsageError } from '../errors.ts'

/** `--against`, `--threshold` and `--by` typed for the store; a bad one exits 2 naming it. */
export function modelOptions(o: ModelOptionsText): ModelOptions {
  try {
    return parseModelOptions(o)
  } catch (e) {
    throw e instanceof ModelSpecError ? new UsageError(e.message) : e
  }
}
