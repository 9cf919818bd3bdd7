/** `GET /api/datasets/:id/jobs`: how far the long work on a dataset's images has got [T8]. */
export interface JobsDto {
  readonly dataset: { readonly id: number; readonly name: string }
  /** Images on disk; those finished (thumbnails and pixel facts); those found unreadable. */
  readonly images: {
    readonly images: number
    readonly finished: number
    readonly unreadable: number
  }
  /** Batches per queue (`cxr-audit thumbnails --queue`); empty on SQLite, which has no queue. */
  readonly queues: readonly QueueProgressDto[]
  /** Vectors stored per embedding model (`cxr-audit embed`, `embed --queue`), newest model first. */
  readonly embeddings: readonly EmbeddingProgressDto[]
}

export interface EmbeddingProgressDto {
  readonly model: string
  readonly modelSha256: string
  /** Images of the dataset with a vector of this model. */
  readonly embedded: number
}

export interface QueueProgressDto {
  readonly queue: string
  readonly waiting: number
  readonly running: number
  readonly done: number
  readonly failed: number
}
