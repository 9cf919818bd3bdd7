/**
 * @cxr-audit/ml: image embeddings with any ONNX model described by a manifest, stored per
 * image; near-duplicates by cosine similarity. Rules are numbered in docs/SPEC-ml.md.
 */
export { ModelError } from './errors.ts'
export {
  DEFAULT_MANIFEST,
  manifestPathFor,
  readManifest,
  validateManifest,
  type EmbeddingSpec,
  type InputSpec,
  type ModelManifest,
} from './manifest.ts'
export {
  inputLength,
  loadEmbeddingModel,
  PREPROCESS_VERSION,
  type Device,
  type EmbeddingModel,
  type LoadOptions,
} from './model.ts'
export { channelTables, displayPixels, writeInput, type ModelPixels } from './input.ts'
export { embedDataset, type EmbedOptions, type EmbedReport } from './embed.ts'
export { centreAndNormalise, rowDot, similarPairs, SIMILARITY_BLOCK } from './similarity.ts'
export {
  embeddingDuplicates,
  EMBEDDING_DUPLICATE_COSINE,
  MAX_LISTED_PAIRS,
  type EmbeddingDuplicates,
  type EmbeddingPair,
} from './duplicates.ts'
