import type { Generated } from 'kysely'

/** Tables of the cxr-audit database. Times are ISO-8601 strings; booleans are 0/1 integers. */
export interface Schema {
  dataset: DatasetTable
  finding: FindingTable
  image: ImageTable
  label: LabelTable
  box: BoxTable
  reader_box: ReaderBoxTable
  import_problem: ImportProblemTable
  reader: ReaderTable
  audit: AuditTable
  audit_item: AuditItemTable
  verdict_event: VerdictEventTable
  tag_event: TagEventTable
  model: ModelTable
  prediction: PredictionTable
  embedding_model: EmbeddingModelTable
  embedding: EmbeddingTable
  dicom_instance: DicomInstanceTable
  finding_same: FindingSameTable
  session: SessionTable
  assignment: AssignmentTable
  activity: ActivityTable
  probe_run: ProbeRunTable
  source_file: SourceFileTable
  reading_event: ReadingEventTable
  study_film: StudyFilmTable
}

export interface DatasetTable {
  id: Generated<number>
  name: string
  source_format: string
  imported_at: string
  /** JSON array of the absolute image folders given at import: the only roots served. */
  image_roots: string
  /** JSON object: the files imported (metadata, bbox, split lists) for reproducibility. */
  sources: string
  /** Added by 012-datasets: `film` (one row per image file) or `study` (one row per study). */
  item_kind: Generated<string>
}

export interface FindingTable {
  id: Generated<number>
  dataset_id: number
  name: string
  /** JSON array of component names for a derived finding, null for a labelled one. */
  derived_from: string | null
  position: number
}

export interface ImageTable {
  id: Generated<number>
  dataset_id: number
  name: string
  patient: string
  age: number | null
  sex: string
  view: string
  follow_up: number | null
  width: number | null
  height: number | null
  spacing_x: number | null
  spacing_y: number | null
  split: string | null
  /** Absolute path of the file when found on disk. */
  path: string | null
  on_disk: number
  /** The label names as written in the source, `|`-joined. */
  raw_labels: string
  content_hash: string | null
  bit_depth: number | null
  channels: number | null
  mean_intensity: number | null
  border_mean: number | null
  centre_mean: number | null
  phash: string | null
  unreadable_reason: string | null
  /** Added by 005-imaging: the file's own size (width/height above are the metadata's). */
  pixel_width: number | null
  pixel_height: number | null
  photometric: string | null
  lung_mean: number | null
  mediastinum_mean: number | null
  looks_inverted: number | null
  /** When the facts were computed (null: never). */
  facts_at: string | null
  /** Added by 012-datasets: the study the film belongs to (CheXpert, MIMIC), else null. */
  study: string | null
}

/**
 * Original labels: 1 positive, -1 uncertain, 0 a negative mention (formats that state one, e.g.
 * CheXpert); no row means not mentioned, which counts as negative.
 */
export interface LabelTable {
  image_id: number
  finding_id: number
  value: number
}

export interface BoxTable {
  id: Generated<number>
  image_id: number
  finding_id: number
  x: number
  y: number
  w: number
  h: number
}

/** A box drawn by one reader (VinDr-CXR's radiologists), beside the dataset's `box` rows. */
export interface ReaderBoxTable {
  id: Generated<number>
  reader_id: number
  image_id: number
  finding_id: number
  x: number
  y: number
  w: number
  h: number
}

/** Problems that only an import can see (files not in the metadata, boxes of unknown images). */
export interface ImportProblemTable {
  id: Generated<number>
  dataset_id: number
  kind: string
  description: string
  count: number
  /** JSON array of example strings (for not-in-metadata: every file). */
  examples: string
}

export interface ReaderTable {
  id: Generated<number>
  name: string
  /** `person` or `imported` (an expert label file). */
  kind: string
  created_at: string
  password_hash: string | null
  role: string | null
  /** Added by 009-accounts: 1 when the account may no longer log in. */
  disabled: Generated<number>
}

/** A login: only the SHA-256 of the cookie's token is kept. */
export interface SessionTable {
  id: Generated<number>
  token_hash: string
  reader_id: number
  csrf_token: string
  created_at: string
  expires_at: string
  /** When the user logged out (or was disabled); null while it lasts. */
  ended_at: string | null
  address: string | null
}

/** Which reader reviews which audit (accounts mode). */
export interface AssignmentTable {
  audit_id: number
  reader_id: number
  assigned_at: string
  assigned_by: string
}

/** The activity log: append-only (triggers refuse UPDATE and DELETE). */
export interface ActivityTable {
  id: Generated<number>
  at: string
  /** The user's name, `cli:<os user>` for the command line, or `anonymous`. */
  actor: string
  actor_id: number | null
  action: string
  target: string | null
  /** JSON object. */
  detail: string
  address: string | null
}

export interface AuditTable {
  id: Generated<number>
  dataset_id: number
  name: string
  seed: string
  /** JSON: findings, per-finding counts, filters, split, one-per-patient. */
  plan: string
  blinded: number
  /** JSON array of tag names. */
  tag_set: string
  created_at: string
}

/** The drawn sample in order; `labelled` is the original label at draw time (1, 0, -1). */
export interface AuditItemTable {
  audit_id: number
  position: number
  image_id: number
  finding_id: number
  labelled: number
  /** The film's inclusion probability in its stratum; null when not drawn at random [W38]. */
  inclusion: number | null
}

/** Append-only: the current verdict is the latest event per (reader, image, finding). */
export interface VerdictEventTable {
  id: Generated<number>
  client_event_id: string
  reader_id: number
  audit_id: number | null
  image_id: number
  finding_id: number
  /** `present`, `absent`, `uncertain`, or null to withdraw a verdict (undo). */
  verdict: string | null
  created_at: string
}

export interface TagEventTable {
  id: Generated<number>
  client_event_id: string
  reader_id: number
  audit_id: number | null
  image_id: number
  tag: string
  on: number
  created_at: string
}

export interface ModelTable {
  id: Generated<number>
  dataset_id: number
  name: string
  source: string
  created_at: string
}

export interface PredictionTable {
  model_id: number
  image_id: number
  finding_id: number
  score: number
}

/** An ONNX model with the settings that make its vectors (006-embeddings). */
export interface EmbeddingModelTable {
  id: Generated<number>
  name: string
  /** SHA-256 of the .onnx file's bytes. */
  sha256: string
  /** SHA-256 of the model hash, manifest and preprocessing version: one row per setting. */
  config_hash: string
  /** The manifest as JSON. */
  manifest: string
  dimensions: number
  created_at: string
}

/** One vector per (embedding model, image): `dimensions` little-endian float32 values. */
export interface EmbeddingTable {
  model_id: number
  image_id: number
  vector: Uint8Array
  /** SHA-256 of the image file's bytes that were embedded. */
  content_hash: string | null
  created_at: string
}

/** Added by 007-dicomweb: where an image of a DICOM dataset lives in its archive. */
export interface DicomInstanceTable {
  image_id: number
  study_uid: string
  series_uid: string
  sop_class_uid: string
  modality: string
  study_date: string | null
  /** Patient Identity Removed (0012,0062): 1 YES, 0 otherwise, null absent. */
  identity_removed: number | null
  /** Burned In Annotation (0028,0301): YES, NO or null. */
  burned_in: string | null
}

/** Findings of two datasets declared the same (`cxr-audit findings same A B`), by name. */
export interface FindingSameTable {
  id: Generated<number>
  a_dataset: string
  a_finding: string
  b_dataset: string
  b_finding: string
  created_at: string
}

/** Added by 008-learn: one `cxr-audit probe` run (docs/SPEC-learn.md [PR7]). */
export interface ProbeRunTable {
  id: Generated<number>
  dataset_id: number
  /** The finding's name as the dataset spells it. */
  finding: string
  embedding_model_id: number | null
  /** The embedding model's name (kept when the model row goes). */
  embedding_model: string
  /** `all` or `no-finding`. */
  negatives: string
  folds: number
  seed: string
  /** 1: the shuffled-label null. */
  shuffled: number
  n: number
  positives: number
  auc: number
  auc_low: number
  auc_high: number
  train_auc: number | null
  /** The model the out-of-fold scores were saved as (`--save-model`). */
  model_id: number | null
  warning: string | null
  seconds: number
  /** The whole `probe --json` report. */
  report: string
  created_at: string
}

/** Added by 013-report: a file a dataset was imported from, with its SHA-256. */
export interface SourceFileTable {
  dataset_id: number
  /** `metadata`, `bbox`, `trainList`, `testList`. */
  role: string
  /** The file's name (no folder: the report names files, not the importer's disk). */
  name: string
  sha256: string
  bytes: number
  recorded_at: string
}

/** Added by 015-reading: a page shown, a film opened in the viewer, a preset applied [W35]. */
export interface ReadingEventTable {
  id: Generated<number>
  client_event_id: string
  reader_id: number
  audit_id: number
  /** `sheet`, `viewer` or `preset`. */
  kind: string
  image_id: number | null
  finding_id: number | null
  page: number | null
  preset: string | null
  created_at: string
}

/** 017-study-films: the films of a study item, frontal first [DS26]. */
export interface StudyFilmTable {
  id: Generated<number>
  image_id: number
  position: number
  name: string
  view: string
  path: string
}
