export type { Rng, SeededRng, Seed } from '../random.ts'
export { badSeed, createRng, parseSeed, sampleWithoutReplacement, shuffle } from '../random.ts'
export type { UndefinedReason } from './errors.ts'
export { StatsInputError, UndefinedAucError, UndefinedStatisticError } from './errors.ts'
export {
  normalQuantile,
  normalTwoSidedP,
  studentTwoSidedP,
  chiSquareSurvival,
  zCritical,
} from './distributions.ts'
export type { Interval, PlanInput } from './proportions.ts'
export {
  clopperPearsonInterval,
  expectedHalfWidth,
  plannedSampleSize,
  wilsonInterval,
} from './proportions.ts'
export type { Category } from './kappa.ts'
export { cohenKappa, fleissKappa, percentAgreement } from './kappa.ts'
export type { BootstrapOptions, BootstrapResult } from './bootstrap.ts'
export { bootstrapInterval } from './bootstrap.ts'
export type { BinaryLabels } from './roc-input.ts'
export type { DelongResult, Placements } from './auc.ts'
export { auc, delong, placements } from './auc.ts'
export type { ClusteredAucResult } from './auc-clustered.ts'
export { obuchowski } from './auc-clustered.ts'
export type { PairedTestResult, RocSample, UnpairedTestResult } from './delong-tests.ts'
export { delongPairedTest, delongUnpairedTest } from './delong-tests.ts'
export type { Confusion, OperatingPoint, PrecisionRecallCurve, RocCurve } from './curves.ts'
export {
  averagePrecision,
  confusionAt,
  precisionRecallCurve,
  rocCurve,
  thresholdForSensitivity,
  youdenThreshold,
} from './curves.ts'
export type { ReliabilityBin } from './calibration.ts'
export { brierScore, reliabilityBins } from './calibration.ts'
export {
  mean,
  median,
  quantile,
  quantiles,
  sampleSd,
  sampleVariance,
  smdBinary,
  smdContinuous,
} from './descriptives.ts'
export type { ChiSquareResult, FisherResult } from './contingency.ts'
export { chiSquareHomogeneity, fisherExact2x2 } from './contingency.ts'
export type { StratifiedBootstrapOptions, StratifiedBootstrapResult } from './weighted.ts'
export { stratifiedBootstrap, weightedAuc, weightedMean } from './weighted.ts'
