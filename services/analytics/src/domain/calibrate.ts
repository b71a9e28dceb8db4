// The calibration analytics uses: @dreamseed/irt's online calibration (over each examinee's θ and its SE),
// behind a type so the use cases take it as a dependency; and its polytomous one (GRM, GPCM) for items scored
// into more than two categories.
import { calibrateItem, calibratePolytomousItem, type PolytomousCalibrationResult } from '@dreamseed/irt'

export type CalibrateItem = typeof calibrateItem
export type Calibration = ReturnType<CalibrateItem>

export const defaultCalibrate: CalibrateItem = calibrateItem

export type PolytomousCalibration = PolytomousCalibrationResult
export const calibratePolytomous = calibratePolytomousItem

/**
 * The polytomous model to fit an item with: its own where exam gave it one the engine can fit, GPCM for the
 * partial-credit family (PCM and RSM are GPCMs with constrained slopes or steps), GRM otherwise.
 */
export function polytomousModelOf (irt: { model: string } | null): 'GRM' | 'GPCM' {
  return irt !== null && irt.model !== 'GRM' ? 'GPCM' : 'GRM'
}
