// QTI 3.0 content packages in and out of the exam service's import lines (see README.md beside this file).
export { readQtiPackage, type QtiReadOptions, type QtiReadResult } from './read-package.js'
export { writeQtiPackage, type QtiWriteInput } from './write-package.js'
export { DEFAULT_QTI_LIMITS, type QtiLimits, type QtiProblem } from './limits.js'
export type { ItemLine, PassageLine, PolytomousIrt, NumericKey, ItemStatus } from './lines.js'
