export { LearnInputError } from './errors.ts'
export type { ColumnMoments, FeatureMatrix } from './features.ts'
export { allRows, columnMoments, featureMatrix } from './features.ts'
export type { KernelChoice } from './kernels.ts'
export type { LogisticModel, LogisticOptions, LogisticSolver } from './logistic.ts'
export {
  DEFAULT_LOGISTIC_TOLERANCE,
  createLogisticSolver,
  fitLogistic,
  predictLogistic,
  sigmoid,
} from './logistic.ts'
export type {
  CrossValidation,
  CrossValidationOptions,
  CrossValidationResult,
  FoldFit,
  FoldReport,
} from './cross-validate.ts'
export { combineFolds, crossValidateLogistic, prepareCrossValidation } from './cross-validate.ts'
export type { ProbeSummary } from './probe-summary.ts'
export { CHANCE_AUC, summariseProbe } from './probe-summary.ts'
export type { GroupedFoldsOptions } from './folds.ts'
export { groupedStratifiedFolds } from './folds.ts'
export type { KMeansOptions, KMeansResult } from './kmeans.ts'
export { kMeans } from './kmeans.ts'
export type { ClusterRows, ClusterSummary, RateWithInterval } from './cluster-summary.ts'
export { summariseClusters } from './cluster-summary.ts'
export * from './confident-learning/index.ts'
export type { FlagReviewStats } from './flag-review.ts'
export { flagReviewStats } from './flag-review.ts'
