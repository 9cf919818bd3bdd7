// The subset of the WebAssembly codec modules that this package uses (they ship no types).

declare module 'jpeg-lossless-decoder-js' {
  export class Decoder {
    decode(buffer: ArrayBufferLike, offset?: number, length?: number): Uint8Array | Uint16Array
  }
}
