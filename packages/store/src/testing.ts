/**
 * Helpers for tests of the packages above the store (`@cxr-audit/store/testing`): what a test
 * needs to set up or inspect that no command does, so that no test writes SQL of its own.
 */
import { parseModelOptions, type ModelOptions, type ModelOptionsText } from '@cxr-audit/core'

/**
 * Model-audit options written as on the command line (`against: 'consensus:A,B'`,
 * `threshold: 'sens:0.9'`, `by: ['sex']`), parsed as the CLI parses them, for evaluateModel and
 * createGalleries.
 */
export function asWritten<T extends ModelOptionsText>(
  o: T,
): Omit<T, keyof ModelOptionsText> & ModelOptions {
  const { against: _against, threshold: _threshold, by: _by, ...rest } = o
  return { ...rest, ...parseModelOptions(o) }
}
