// Public surface of @dreamseed/irt: the pure IRT/CAT engine (no I/O, no runtime deps).

export {
  D_LOGISTIC,
  D_NORMAL,
  categoryCount,
  categoryProbabilities,
  information,
  informationPeak3pl,
  isPolytomous,
  logistic,
  probability,
  responseFromUniform,
  testInformation,
  toItem,
  toItemParams,
} from './model.js';
export type { AnyItemInput, DichotomousModel, Item, ItemInput, ItemParams } from './model.js';
export { MAX_STEPS, POLYTOMOUS_MODELS } from './polytomous.js';
export type {
  GeneralizedPartialCreditItem,
  GradedResponseItem,
  NominalResponseItem,
  PartialCreditItem,
  PolytomousItem,
  PolytomousModel,
  RatingScaleItem,
} from './polytomous.js';

export { bankItem, bankItems, createItemBank } from './bank.js';
export type { BankItemInput, ItemBank } from './bank.js';

export { estimateAbility } from './estimators/estimate.js';
export { eapStandardError, eapTheta, estimateEap, estimateEapFromGrid, extendGridLogLikelihood, gridLogLikelihood } from './estimators/eap.js';
export { estimateMap, mapTheta } from './estimators/map.js';
export { estimateMle, mleTheta } from './estimators/mle.js';
export { estimateWle, wleTheta } from './estimators/wle.js';
export { standardError } from './estimators/standard-error.js';
export { logLikelihood } from './estimators/likelihood.js';
export { DEFAULT_GRID, DEFAULT_PRIOR, DEFAULT_RANGE } from './estimators/options.js';
export type { Estimate, EstimationOptions, EstimatorName, NormalPrior, QuadratureGrid } from './estimators/options.js';

export { bankInformation, collectMostInformative, collectMostInformativePruned, createSelectionScratch, selectItem } from './selection.js';
export type { SelectionOptions, SelectionResult, SelectionScratch } from './selection.js';
export { exposureRates, randomesquePick, sympsonHetterAdmits } from './exposure.js';
export { deriveSympsonHetter, sympsonHetterSetting } from './exposure-derivation.js';
export type { DerivationIteration, SympsonHetterDerivation, SympsonHetterDerivationOptions } from './exposure-derivation.js';
export { exposureCapBound, informationMatrix } from './exposure-bound.js';
export type { CapBound, CapBoundOptions } from './exposure-bound.js';
export { aStratification, stratumAt } from './a-stratification.js';
export type { AStratification, AStratifiedDesign } from './a-stratification.js';
export { chooseTopic, contentTargets } from './content-balancing.js';
export { enemyIndex, excludeEnemies } from './enemies.js';
export type { EnemyIndex } from './enemies.js';
export { itemSetIndex, pendingSetItem } from './item-sets.js';
export type { ItemSetIndex } from './item-sets.js';
export { classify, stopReason, validateStoppingRules } from './stopping.js';
export type { Classification, ClassificationRule, StopReason, StoppingRules, StoppingState } from './stopping.js';
export { normalQuantile } from './normal.js';

export { createCatEngine } from './cat.js';
export type { CatConfig, CatEngine, CatSession, CatStep } from './cat.js';

export { simulateCats, simulateExaminee } from './simulate.js';
export type { SimulationOptions } from './simulate.js';
export { accuracy, summarize } from './report.js';
export type { Accuracy, ExamineeResult, SimulationReport } from './report.js';
export { generateBank } from './generate-bank.js';
export type { GenerateBankOptions, ItemModel } from './generate-bank.js';
export { DEFAULT_ABILITY_QUADRATURE } from './marginal-calibration.js';
export type { AbilityDistribution } from './marginal-calibration.js';
export { calibratePolytomousItem } from './polytomous-calibration.js';
export type { PolytomousCalibrationOptions, PolytomousCalibrationResponse, PolytomousCalibrationResult } from './polytomous-calibration.js';
export { normalQuadrature } from './gauss-hermite.js';
export type { Quadrature } from './gauss-hermite.js';
export { CALIBRATION_BOUNDS, C_PRIOR, DEFAULT_MIN_SAMPLE_3PL, MIN_SAMPLE_2PL, calibrateItem, expectedProportionCorrect, type CalibrationOptions, type CalibrationResponse, type CalibrationResult } from './calibration.js';

export { createRng, randomInt, randomNormal } from './rng.js';
export type { Rng } from './rng.js';
