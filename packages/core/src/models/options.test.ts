import { describe, expect, it } from 'vitest'
import { ModelSpecError } from './errors.ts'
import { parseModelOptions } from './options.ts'

describe('model audit options as written', () => {
  it('[M8] [M14] [M20] typed at the edge: truth, threshold rule, subgroup splits', () => {
    expect(
      parseModelOptions({
        against: ' consensus:a,b ',
        threshold: 'sens:0.9',
        by: ['sex', 'tag: chest drain'],
      }),
    ).toEqual({
      against: { kind: 'consensus', members: ['a', 'b'], text: 'consensus:a,b' },
      threshold: { rule: 'sensitivity', target: 0.9 },
      by: [{ kind: 'sex' }, { kind: 'tag', tag: 'chest drain' }],
    })
    expect(parseModelOptions({ against: 'original', threshold: '0.5' })).toEqual({
      against: 'original',
      threshold: { rule: 'fixed', value: 0.5 },
      by: undefined,
    })
    expect(parseModelOptions({})).toEqual({
      against: undefined,
      threshold: undefined,
      by: undefined,
    })
  })

  it('[M8] [M14] [M20] a bad one is a ModelSpecError naming it, threshold first', () => {
    const fails = (o: Parameters<typeof parseModelOptions>[0], message: RegExp): void => {
      expect(() => parseModelOptions(o)).toThrow(ModelSpecError)
      expect(() => parseModelOptions(o)).toThrow(message)
    }
    fails({ threshold: 'abc' }, /cannot read the threshold "abc"/)
    fails({ threshold: 'sens:2' }, /target sensitivity must be in \(0, 1\]/)
    fails({ by: ['colour'] }, /cannot split by "colour": use sex, view/)
    fails({ against: 'consensus:' }, /consensus: needs reader names/)
    fails({ against: ' ' }, /consensus: needs reader names/)
    fails({ threshold: 'abc', by: ['colour'], against: '' }, /threshold/)
  })
})
