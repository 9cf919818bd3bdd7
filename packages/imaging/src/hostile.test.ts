import { deflateRawSync } from 'node:zlib'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeImage } from './decode/decode-image.ts'
import { ImageError, type ImageErrorKind } from './errors.ts'
import { imageFacts } from './facts.ts'
import { resolveInsideRoots } from './files.ts'
import type { ImageLimits } from './limits.ts'
import { RenditionCache } from './render/rendition-cache.ts'
import { concat, greyImageElements, writeDicom } from './testing/dicom-writer.ts'
import { writePng } from './testing/png-writer.ts'
import { sharedData } from './testing/shared-data.ts'

const base = mkdtempSync(join(tmpdir(), 'imaging-hostile-'))
const root = join(base, 'root')
const outside = join(base, 'outside')
const realPng = readFileSync(join(sharedData('cxr14/images/'), '00000075_000.png'))
const file = (name: string): string => join(root, name)

beforeAll(() => {
  mkdirSync(join(root, 'sub'), { recursive: true })
  mkdirSync(outside)
  writeFileSync(file('good.png'), realPng)
  writeFileSync(file('truncated.png'), realPng.subarray(0, Math.floor(realPng.length / 2)))
  writeFileSync(file('empty.png'), new Uint8Array(0))
  writeFileSync(file('text.png'), 'this is not an image\n')
  writeFileSync(
    file('bomb.png'),
    writePng({
      width: 1,
      height: 1,
      bitDepth: 8,
      colourType: 0,
      samples: [0],
      claim: { width: 100_000, height: 100_000 },
    }),
  )
  const elements = greyImageElements({ width: 2, height: 2, bitsAllocated: 8, bitsStored: 8 })
  writeFileSync(
    file('mpeg.dcm'),
    writeDicom({
      transferSyntax: '1.2.840.10008.1.2.4.100',
      elements,
      fragments: [new Uint8Array(8)],
    }),
  )
  const huge = greyImageElements({
    width: 65535,
    height: 65535,
    bitsAllocated: 16,
    bitsStored: 16,
    pixels: new Uint16Array(4),
  })
  writeFileSync(
    file('bomb.dcm'),
    writeDicom({ transferSyntax: '1.2.840.10008.1.2.1', elements: huge }),
  )
  const short = greyImageElements({
    width: 100,
    height: 100,
    bitsAllocated: 8,
    bitsStored: 8,
    pixels: new Uint8Array(10),
  })
  writeFileSync(
    file('short-pixels.dcm'),
    writeDicom({ transferSyntax: '1.2.840.10008.1.2.1', elements: short }),
  )
  const whole = writeDicom({
    transferSyntax: '1.2.840.10008.1.2.1',
    elements: greyImageElements({
      width: 64,
      height: 64,
      bitsAllocated: 8,
      bitsStored: 8,
      pixels: new Uint8Array(4096),
    }),
  })
  writeFileSync(file('cut.dcm'), whole.subarray(0, 300))
  writeFileSync(
    file('garbage.dcm'),
    concat([whole.subarray(0, 132), new Uint8Array(500).fill(0xff)]),
  )
  // Deflated Explicit VR LE whose data set inflates to 8 MB of zeros (a few kB on disk)
  const meta = writeDicom({ transferSyntax: '1.2.840.10008.1.2.1.99', elements: [] })
  writeFileSync(
    file('deflate-bomb.dcm'),
    concat([meta, deflateRawSync(new Uint8Array(8 * 1024 * 1024))]),
  )
  writeFileSync(join(outside, 'secret.png'), realPng)
  symlinkSync(join(outside, 'secret.png'), file('escape.png'))
  symlinkSync(outside, file('sub/door'))
  symlinkSync(file('good.png'), file('inside-link.png'))
})
afterAll(() => rmSync(base, { recursive: true, force: true }))

async function failure(path: string, limits: Partial<ImageLimits> = {}): Promise<ImageError> {
  const error = await decodeImage(path, { roots: [root], limits }).then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!(error instanceof ImageError))
    throw new Error(`expected an ImageError for ${path}, got ${String(error)}`)
  return error
}

describe('[I11][I13] hostile files give a typed ImageError naming the file and the reason', () => {
  const cases: [string, string, ImageErrorKind, Partial<ImageLimits>?][] = [
    // each of these once crashed or hung a viewer fed a real hospital export
    ['a truncated PNG', 'truncated.png', 'truncated'],
    ['a zero-byte file', 'empty.png', 'empty'],
    ['a text file named .png', 'text.png', 'not-an-image'],
    ['a DICOM with an unsupported transfer syntax', 'mpeg.dcm', 'unsupported'],
    ['a PNG whose header claims 100,000 x 100,000 pixels', 'bomb.png', 'too-large'],
    ['a DICOM claiming 65535 x 65535 pixels', 'bomb.dcm', 'too-large'],
    ['a DICOM with too little pixel data', 'short-pixels.dcm', 'truncated'],
    ['a DICOM cut off inside its header', 'cut.dcm', 'truncated'],
    [
      'a deflated DICOM that inflates past the size limit',
      'deflate-bomb.dcm',
      'too-large',
      { maxFileBytes: 1_000_000 },
    ],
    ['a file larger than maxFileBytes', 'good.png', 'too-large', { maxFileBytes: 1000 }],
    ['an image larger than maxPixels', 'good.png', 'too-large', { maxPixels: 1000 }],
    ['a decode slower than timeoutMs', 'good.png', 'timeout', { timeoutMs: 1 }],
    ['a missing file', 'missing.png', 'not-found'],
    ['a directory', 'sub', 'not-an-image'],
  ]

  it.each(cases)('%s', async (_label, name, kind, limits) => {
    const error = await failure(file(name), limits)
    expect(error.kind).toBe(kind)
    expect(error.message).toContain(name)
    expect(error.message).toContain(`${kind}:`)
    expect(error.reason.startsWith(`${kind}:`)).toBe(true)
  })

  it('a DICOM with garbage after the preamble is refused, not crashed on', async () => {
    expect(['corrupt', 'truncated', 'not-an-image']).toContain(
      (await failure(file('garbage.dcm'))).kind,
    )
  })

  it('the good file decodes with the same roots and default limits', async () => {
    await expect(decodeImage(file('good.png'), { roots: [root] })).resolves.toMatchObject({
      width: 1024,
    })
  })
})

describe('[I12] no file outside the image roots is ever opened', () => {
  it('refuses a ../ path before touching the file system', async () => {
    const error = await failure(join(root, '..', 'outside', 'secret.png'))
    expect(error.kind).toBe('outside-root')
    await expect(resolveInsideRoots('../outside/secret.png', [root])).rejects.toMatchObject({
      kind: 'outside-root',
    })
  })

  it('refuses a symbolic link to a file outside the root', async () => {
    expect((await failure(file('escape.png'))).kind).toBe('outside-root')
  })

  it('refuses a path through a symlinked directory that leaves the root', async () => {
    expect((await failure(file('sub/door/secret.png'))).kind).toBe('outside-root')
  })

  it('follows a symbolic link that stays inside, and resolves relative paths against the first root', async () => {
    expect(await resolveInsideRoots(file('inside-link.png'), [root])).toBe(
      await resolveInsideRoots('good.png', [root]),
    )
  })

  it('refuses everything when no root is configured', async () => {
    await expect(resolveInsideRoots(file('good.png'), [])).rejects.toMatchObject({
      kind: 'outside-root',
    })
  })

  it('checks the roots for facts and renditions too', async () => {
    await expect(imageFacts(file('escape.png'), { roots: [root] })).rejects.toMatchObject({
      kind: 'outside-root',
    })
    const cache = new RenditionCache({ dir: join(base, 'cache'), roots: [root] })
    await expect(cache.thumbnail(file('escape.png'))).rejects.toMatchObject({
      kind: 'outside-root',
    })
    await expect(cache.view('../outside/secret.png')).rejects.toMatchObject({
      kind: 'outside-root',
    })
  })
})
