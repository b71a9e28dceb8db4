// A session's time limit: the exam's, times the student's accommodation multiplier when they have one. Whole
// seconds, rounded up (a fraction of a second goes to the student), after removing the noise of binary
// fractions (100 × 1.1 is 110.00000000000001, which must give 110, not 111).
import type { AccommodationProfile } from './model.js'

export function sessionTimeLimitSeconds (examLimitSeconds: number | undefined, accommodations: AccommodationProfile | null): number | undefined {
  if (examLimitSeconds === undefined || accommodations === null) return examLimitSeconds
  return Math.ceil(Number((examLimitSeconds * accommodations.timeMultiplier).toFixed(6)))
}
