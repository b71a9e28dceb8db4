// The calibration analytics uses: @dreamseed/irt's online calibration (over each examinee's θ and its SE),
// behind a type so the use cases take it as a dependency.
import { calibrateItem } from '@dreamseed/irt'

export type CalibrateItem = typeof calibrateItem
export type Calibration = ReturnType<CalibrateItem>

export const defaultCalibrate: CalibrateItem = calibrateItem
