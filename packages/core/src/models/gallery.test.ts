import { describe, expect, it } from 'vitest'
import { GALLERY_SIZE, cellOf, drawGallery, gallerySeedText, parseGalleryCell } from './gallery.ts'
import { ModelSpecError } from './errors.ts'

const names = Array.from({ length: 100 }, (_, i) => `img${String(i).padStart(3, '0')}.png`)

describe('error galleries', () => {
  it('[M30] cells: score >= threshold is called positive; uncertain labels are in no cell', () => {
    expect(cellOf(1, 0.5, 0.5)).toBe('tp')
    expect(cellOf(1, 0.49, 0.5)).toBe('fn')
    expect(cellOf(0, 0.5, 0.5)).toBe('fp')
    expect(cellOf(0, 0.1, 0.5)).toBe('tn')
    expect(cellOf(-1, 0.9, 0.5)).toBeNull()
    expect(parseGalleryCell(' FP ')).toBe('fp')
    expect(() => parseGalleryCell('false')).toThrow(ModelSpecError)
  })

  it('[M31] a sheet of 18 by default; the same seed gives the same images in the same order', () => {
    expect(GALLERY_SIZE).toBe(18)
    const seed = gallerySeedText(7, 'densenet', 'Mass', 'fp')
    const a = drawGallery(names, (n) => n, GALLERY_SIZE, seed)
    const b = drawGallery(names, (n) => n, GALLERY_SIZE, seed)
    expect(a).toHaveLength(18)
    expect(new Set(a).size).toBe(18)
    expect(b).toEqual(a)
    expect(
      drawGallery(names, (n) => n, 18, gallerySeedText(8, 'densenet', 'Mass', 'fp')),
    ).not.toEqual(a)
    expect(
      drawGallery(names, (n) => n, 18, gallerySeedText(7, 'densenet', 'Mass', 'tp')),
    ).not.toEqual(a)
  })

  it('[M31] the order the database returns candidates in does not change the draw', () => {
    const seed = gallerySeedText(1, 'm', 'Edema', 'tn')
    const shuffled = [...names].reverse()
    expect(drawGallery(shuffled, (n) => n, 18, seed)).toEqual(
      drawGallery(names, (n) => n, 18, seed),
    )
  })

  it('[M31] a larger size extends a smaller one; fewer candidates than asked gives them all', () => {
    const seed = gallerySeedText(3, 'm', 'Edema', 'fn')
    const small = drawGallery(names, (n) => n, 18, seed)
    expect(drawGallery(names, (n) => n, 36, seed).slice(0, 18)).toEqual(small)
    const few = drawGallery(names.slice(0, 5), (n) => n, 18, seed)
    expect([...few].sort()).toEqual(names.slice(0, 5))
    expect(drawGallery([], (n: string) => n, 18, seed)).toEqual([])
    expect(() => drawGallery(names, (n) => n, 0, seed)).toThrow(ModelSpecError)
  })
})
