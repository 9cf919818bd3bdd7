/**
 * Helpers for tests of the packages above the store (`@cxr-audit/store/testing`): what a test
 * needs to set up or inspect that no command does, so that no test writes SQL of its own.
 */
import {
  parseModelOptions,
  parseReaderSpec,
  type ModelOptions,
  type ModelOptionsText,
  type ReaderSpec,
} from '@cxr-audit/core'

/** A `--reader` as written (`NAME`, `consensus:A,B,C`), parsed as the CLI parses it. */
export function reader(text: string): ReaderSpec {
  const spec = parseReaderSpec(text)
  if (spec === undefined) throw new Error(`not a reader: "${text}"`)
  return spec
}

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
