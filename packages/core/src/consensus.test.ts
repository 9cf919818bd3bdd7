import { describe, expect, it } from 'vitest'
import {
  expandMembers,
  majorityVerdict,
  parseAgainst,
  parseReaderSpec,
  readerSpecText,
  type ReaderSpec,
} from './consensus.ts'

// one rule for the labels area ([L7]) and the model audit ([M8])
describe('consensus', () => {
  it('[L7] the verdict given most often wins; a tie for most is uncertain', () => {
    expect(majorityVerdict(['present', 'present', 'absent'])).toBe('present')
    expect(majorityVerdict(['present', 'absent', 'uncertain'])).toBe('uncertain')
    expect(majorityVerdict(['present', 'absent'])).toBe('uncertain')
    expect(majorityVerdict(['absent', 'uncertain', 'uncertain'])).toBe('uncertain')
    expect(majorityVerdict(['present', 'present', 'absent', 'uncertain'])).toBe('present')
    expect(majorityVerdict(['absent'])).toBe('absent')
    expect(majorityVerdict([])).toBeNull()
  })

  it('[L7] consensus:A,B,C names the members; a member ending in * is a prefix', () => {
    expect(parseReaderSpec('alice')).toEqual({ kind: 'reader', name: 'alice' })
    expect(parseReaderSpec('consensus:a, b,a')).toEqual({
      kind: 'consensus',
      members: ['a', 'b'],
      text: 'consensus:a, b,a',
    })
    expect(parseReaderSpec('consensus:')).toBeUndefined()
    expect(parseReaderSpec('  ')).toBeUndefined()
    const known = ['g:2', 'g:1', 'h:1', 'alice']
    expect(expandMembers(['alice', 'g:*'], known)).toEqual(['alice', 'g:1', 'g:2'])
  })
})

describe('consensus as the model audit reads it', () => {
  it('[M8] consensus:A,B,C names the readers; a single name is not a consensus', () => {
    expect(parseReaderSpec('consensus:ann, bob,ann,')).toMatchObject({
      kind: 'consensus',
      members: ['ann', 'bob'],
    })
    expect(parseReaderSpec('ann')).toEqual({ kind: 'reader', name: 'ann' })
  })

  it('[M8] --against: original, a reader or a consensus, printed as written', () => {
    expect(parseAgainst(' original ')).toBe('original')
    expect(parseAgainst('consensus: ann,bob')).toEqual({
      kind: 'consensus',
      members: ['ann', 'bob'],
      text: 'consensus: ann,bob',
    })
    expect(parseAgainst('consensus:')).toBeUndefined()
    expect(parseAgainst('  ')).toBeUndefined()
    expect(readerSpecText(parseAgainst('consensus: ann,bob') as ReaderSpec)).toBe(
      'consensus: ann,bob',
    )
    expect(readerSpecText({ kind: 'consensus', members: ['a', 'b'] })).toBe('consensus:a,b')
    expect(readerSpecText({ kind: 'reader', name: 'ann' })).toBe('ann')
  })

  it('[M8] the majority verdict wins; a tie is uncertain; nobody is null', () => {
    expect(majorityVerdict(['present', 'present', 'absent'])).toBe('present')
    expect(majorityVerdict(['present', 'absent'])).toBe('uncertain')
    expect(majorityVerdict(['absent', 'uncertain', 'uncertain'])).toBe('uncertain')
    expect(majorityVerdict(['absent'])).toBe('absent')
    expect(majorityVerdict([])).toBeNull()
  })
})
