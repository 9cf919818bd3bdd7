import { describe, expect, it } from 'vitest'

describe('@cxr-audit/contract', () => {
  it('is types only: nothing of it exists at run time, so any bundle may import it', async () => {
    const module = await import('./index.ts')
    expect(Object.keys(module)).toEqual([])
  })
})
