import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { streamText, TextUtf8 } from './files.ts'

const dir = mkdtempSync(join(tmpdir(), 'cxr-files-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A small deterministic generator, so that a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

/** What one streaming TextDecoder makes of the same pieces: the reference. */
function reference(pieces: readonly Uint8Array[]): string {
  const d = new TextDecoder('utf-8')
  return pieces.map((p) => d.decode(p, { stream: true })).join('') + d.decode()
}

function ours(pieces: readonly Uint8Array[]): string {
  const d = new TextUtf8()
  return pieces.map((p) => d.decode(p)).join('') + d.end()
}

/** Bytes cut into pieces at random places (inside characters and the mark too). */
function cut(bytes: Uint8Array, next: () => number, longest: number): Uint8Array[] {
  const pieces: Uint8Array[] = []
  for (let at = 0; at < bytes.length;) {
    const n = Math.min(bytes.length - at, Math.floor(next() * longest))
    pieces.push(bytes.subarray(at, at + n))
    at += n
  }
  return pieces
}

describe('TextUtf8', () => {
  const texts = [
    'Path,Sex,Age\npatient00001/study1/view1_frontal.jpg,Female,68\n'.repeat(50),
    '\ufeffImage Index,Finding Labels\n00000001_000.png,Cardiomegaly\n'.repeat(20),
    `ascii only for a while,${'x'.repeat(300)}\nthen Müller, Ñandú, 肺, 🫁 and back,${'y'.repeat(300)}\n`.repeat(
      10,
    ),
    '\ufeff\ufeff a second mark is a character\n',
    'ends half way: \u00e9',
  ]

  it('gives what one streaming TextDecoder gives, however the bytes are cut', () => {
    for (const [t, text] of texts.entries()) {
      const bytes = new TextEncoder().encode(text)
      for (let seed = 1; seed <= 40; seed++) {
        const pieces = cut(bytes, random(seed * 31 + t), seed % 2 === 0 ? 7 : 400)
        expect(ours(pieces)).toBe(reference(pieces))
      }
    }
  })

  it('drops the mark at the start even when it is split, and keeps one later', () => {
    const bytes = new TextEncoder().encode('\ufeffa,b\n\ufeffc\n')
    const pieces = [bytes.subarray(0, 1), bytes.subarray(1, 2), bytes.subarray(2)]
    expect(ours(pieces)).toBe('a,b\n\ufeffc\n')
    // a mark after ASCII pieces is content, as TextDecoder keeps it
    const later = new TextEncoder().encode('a,b\n\ufeffc\n')
    expect(ours([later.subarray(0, 4), later.subarray(4)])).toBe('a,b\n\ufeffc\n')
  })

  it('turns invalid bytes and a character cut off at the end into U+FFFD as TextDecoder does', () => {
    const bad = Uint8Array.from([0x61, 0xff, 0x62, 0x0a, 0x63, 0xe2, 0x82])
    for (let k = 0; k <= bad.length; k++) {
      const pieces = [bad.subarray(0, k), bad.subarray(k)]
      expect(ours(pieces)).toBe(reference(pieces))
    }
  })
})

describe('streamText', () => {
  it('reads a plain and a gzip file of many pieces as the same text', async () => {
    const next = random(7)
    const line = (i: number): string =>
      `patient${String(i).padStart(5, '0')}/study1/view1_frontal.jpg,${next() < 0.01 ? 'Ünknown' : 'Male'},${Math.floor(next() * 90)}\n`
    const text = `\ufeffPath,Sex,Age\n${Array.from({ length: 8000 }, (_, i) => line(i)).join('')}`
    const plain = join(dir, 'plain.csv')
    const gz = join(dir, 'packed.csv.gz')
    writeFileSync(plain, text)
    writeFileSync(gz, gzipSync(Buffer.from(text)))
    for (const file of [plain, gz]) {
      const parts: string[] = []
      await streamText(file, (t) => parts.push(t))
      expect(parts.length).toBeGreaterThan(3)
      expect(parts.join('')).toBe(text.slice(1))
    }
  })
})
