// A single entry point so callers (the CAT step, the simulator) pick an estimator by name.

import type { Item } from '../model.js';
import { estimateEap } from './eap.js';
import { estimateMap } from './map.js';
import { estimateMle } from './mle.js';
import type { Estimate, EstimationOptions, EstimatorName } from './options.js';
import { estimateWle } from './wle.js';

export function estimateAbility(
  method: EstimatorName,
  items: ArrayLike<Item>,
  responses: ArrayLike<number>,
  options: EstimationOptions = {},
): Estimate {
  switch (method) {
    case 'EAP':
      return estimateEap(items, responses, options);
    case 'MAP':
      return estimateMap(items, responses, options);
    case 'MLE':
      return estimateMle(items, responses, options);
    case 'WLE':
      return estimateWle(items, responses, options);
    default:
      throw new RangeError(`unknown estimator ${String(method)}`);
  }
}
