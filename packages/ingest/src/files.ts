import { Buffer, isAscii } from 'node:buffer'
import { createReadStream } from 'node:fs'
import { open, readdir, stat } from 'node:fs/promises'
import { join, relative, resolve, extname } from 'node:path'
import { createGunzip } from 'node:zlib'
import { InputFormatError } from '@cxr-audit/core'

/** Something wrong with a whole input file: missing, unreadable, empty, wrong format. */
export class InputFileError extends Error {
  override readonly name = 'InputFileError'
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`)
  }
}

/** Explains a file-system error in words a user can act on. */
function explain(file: string, e: unknown): InputFileError {
  const code = (e as NodeJS.ErrnoException).code
  const why =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EACCES'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'is a folder, not a file'
          : (e as Error).message
  return new InputFileError(file, `cannot read: ${why}`)
}

async function isGzip(file: string): Promise<boolean> {
  let h
  try {
    h = await open(file, 'r')
  } catch (e) {
    throw explain(file, e)
  }
  try {
    const info = await h.stat()
    if (info.isDirectory()) throw new InputFileError(file, 'cannot read: is a folder, not a file')
    if (info.size === 0) throw new InputFileError(file, 'the file is empty')
    const { buffer, bytesRead } = await h.read(Buffer.alloc(2), 0, 2, 0)
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b
  } finally {
    await h.close()
  }
}

/**
 * Pieces of 64 KiB: a piece of text is then an ordinary young-generation string. Larger pieces
 * (256 KiB, 1 MiB) are each a large object of their own, freshly mapped and page-faulted: about
 * 100 ms of a 24 MB file's decode (decision 053). The default 16 KiB makes many more calls.
 */
const PIECE = 1 << 16

/**
 * Streams a text file (plain or gzip, told by its first bytes, not its name) as UTF-8 chunks,
 * without a leading byte-order mark. `onBytes` reports progress in bytes of the file on disk.
 */
export async function streamText(
  file: string,
  onChunk: (text: string) => void,
  onBytes?: (read: number, total: number) => void,
): Promise<void> {
  const gz = await isGzip(file)
  const total = (await stat(file)).size
  const raw = createReadStream(file, { highWaterMark: PIECE })
  let read = 0
  raw.on('data', (b) => {
    read += b.length
    onBytes?.(read, total)
  })
  const source = gz ? raw.pipe(createGunzip({ chunkSize: PIECE })) : raw
  const decoder = new TextUtf8()
  try {
    for await (const chunk of source) onChunk(decoder.decode(chunk as Buffer))
    onChunk(decoder.end())
  } catch (e) {
    if (e instanceof InputFormatError) throw e
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR') {
      throw new InputFileError(file, 'the gzip data is corrupt or truncated')
    }
    throw explain(file, e)
  } finally {
    raw.destroy()
  }
}

/**
 * UTF-8 pieces to text, as one streaming TextDecoder would make them (a byte-order mark at the
 * start dropped). A piece of plain ASCII (all of most label files) is copied byte for byte,
 * three times faster, when nothing is left half-read from the piece before: the first piece
 * always goes to the decoder (for the mark, even split), then a piece that ended in an ASCII
 * byte leaves the decoder empty.
 */
export class TextUtf8 {
  readonly #decoder = new TextDecoder('utf-8')
  /** Whether the decoder holds nothing and has seen the start. */
  #clean = false

  decode(piece: Uint8Array): string {
    if (piece.length === 0) return ''
    const b = Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength)
    const text =
      this.#clean && isAscii(b) ? b.toString('latin1') : this.#decoder.decode(b, { stream: true })
    this.#clean = b[b.length - 1]! < 0x80
    return text
  }

  /** What is left: a half-read character at the end becomes U+FFFD, as TextDecoder does. */
  end(): string {
    return this.#decoder.decode()
  }
}

export async function readText(file: string): Promise<string> {
  const parts: string[] = []
  await streamText(file, (t) => parts.push(t))
  return parts.join('')
}

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.dcm', '.dicom'])

/**
 * Finds image files under the given folders, recursively (the CXR14 archives unpack to
 * `images_001/images/*.png`). Returns file name -> absolute path, and names seen twice.
 */
export async function scanImageFolders(
  folders: readonly string[],
): Promise<{ files: Map<string, string>; duplicates: string[]; roots: string[] }> {
  const files = new Map<string, string>()
  const duplicates: string[] = []
  const roots: string[] = []
  for (const folder of folders) {
    const root = resolve(folder)
    let info
    try {
      info = await stat(root)
    } catch (e) {
      throw new InputFileError(
        folder,
        `cannot read the image folder: ${explain(folder, e).message.split(': ').pop()}`,
      )
    }
    if (!info.isDirectory()) throw new InputFileError(folder, 'the image folder is not a folder')
    roots.push(root)
    const entries = await readdir(root, { recursive: true, withFileTypes: true })
    for (const entry of entries) {
      if (!entry.isFile() || !IMAGE_EXTENSIONS.has(extname(entry.name).toLowerCase())) continue
      const path = join(entry.parentPath, entry.name)
      if (files.has(entry.name)) duplicates.push(path)
      else files.set(entry.name, path)
    }
  }
  return { files, duplicates, roots }
}

/**
 * The image files under the given folders by the item name `key` makes of their path below the
 * folder (undefined: not an item's file). Formats whose file names repeat across folders
 * (CheXpert's `view1_frontal.jpg`, MIMIC's `pXX/pSUBJECT/sSTUDY/`) name items by the path.
 */
export async function scanImagesByKey(
  folders: readonly string[],
  key: (relativePath: string) => string | undefined,
): Promise<{ files: Map<string, string>; roots: string[] }> {
  const files = new Map<string, string>()
  const roots: string[] = []
  for (const folder of folders) {
    const root = resolve(folder)
    const info = await stat(root).catch(() => null)
    if (info === null || !info.isDirectory())
      throw new InputFileError(folder, 'cannot read the image folder: not a folder')
    roots.push(root)
    for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !IMAGE_EXTENSIONS.has(extname(entry.name).toLowerCase())) continue
      const path = join(entry.parentPath, entry.name)
      const name = key(relative(root, path))
      if (name !== undefined && !files.has(name)) files.set(name, path)
    }
  }
  return { files, roots }
}
