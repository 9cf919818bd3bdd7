import { describe, expect, it } from 'vitest'
import type { SheetItemDto } from '../api.ts'
import { MarkLedger } from './ledger.ts'

const item: SheetItemDto = {
  position: 0,
  imageId: 10,
  findingId: 2,
  name: 'a.png',
  age: 1,
  sex: 'M',
  view: 'PA',
  split: null,
  onDisk: true,
  unreadable: null,
  verdict: 'present',
  implied: true,
  tags: ['rotated'],
}

describe('the mark ledger', () => {
  it('[W16] marks not yet on the server are laid over a fetched sheet, in order', () => {
    const ledger = new MarkLedger([
      {
        kind: 'verdict',
        clientEventId: 'a0000001',
        auditId: 4,
        imageId: 10,
        findingId: 2,
        verdict: 'absent',
      },
      {
        kind: 'tag',
        clientEventId: 'a0000002',
        auditId: 4,
        imageId: 10,
        tag: 'rotated',
        on: false,
      },
      {
        kind: 'tag',
        clientEventId: 'a0000003',
        auditId: null,
        imageId: 10,
        tag: 'inverted',
        on: true,
      },
      // another audit's verdict on the same image does not count here
      {
        kind: 'verdict',
        clientEventId: 'a0000004',
        auditId: 5,
        imageId: 10,
        findingId: 2,
        verdict: 'uncertain',
      },
    ])
    expect(ledger.overlay(4, [item])[0]).toMatchObject({
      verdict: 'absent',
      implied: false,
      tags: ['inverted'],
    })
    expect(item.tags).toEqual(['rotated']) // the fetched sheet is not changed
  })
})
