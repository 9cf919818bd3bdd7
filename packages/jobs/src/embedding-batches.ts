/** The queue of `cxr-audit embed --queue`: one embedding vector per image [T4]. */
export const EMBEDDINGS_QUEUE = 'embeddings'

/** One queued batch of images to embed, and how (the options `embed` was given). */
export interface EmbeddingBatch {
  readonly dataset: string
  readonly imageIds: readonly number[]
  /**
   * The model as given to `embed --model` (made absolute), or null for the shipped one. A
   * worker's `--model` takes precedence: another machine may keep the file elsewhere.
   */
  readonly model: string | null
  /** SHA-256 of the .onnx file: a worker refuses a different file under the same name. */
  readonly modelSha256: string
  readonly device: 'cpu' | 'cuda'
  /** Images decoded at once given when queued (null: the worker's cores); a worker's `--jobs` wins. */
  readonly jobs: number | null
  /** Images per inference call and per committed transaction. */
  readonly batchSize: number
  /** The rendition cache given when queued; a worker's `--cache` takes precedence. */
  readonly cacheDir: string
}

/** What a worker stores as a finished embedding batch's output (`cxr-audit jobs --json`). */
export interface EmbeddingBatchOutput {
  readonly images: number
  /** Images whose vector was already stored when the batch was taken: skipped. */
  readonly alreadyFinished: number
  readonly computed: number
  readonly unreadable: number
  /** Films decoded (the other inputs came from the rendition cache). */
  readonly decoded: number
  readonly seconds: number
}

/**
 * Splits the images without a current vector of the model into batches of `size`, in id
 * order; images already embedded are left out [T7].
 */
export function embeddingBatches(
  targets: readonly { readonly id: number; readonly cached: boolean }[],
  o: Omit<EmbeddingBatch, 'imageIds'> & { readonly size: number },
): EmbeddingBatch[] {
  const { size, ...rest } = o
  const todo = targets.filter((t) => !t.cached).map((t) => t.id)
  const out: EmbeddingBatch[] = []
  for (let at = 0; at < todo.length; at += size)
    out.push({ ...rest, imageIds: todo.slice(at, at + size) })
  return out
}
