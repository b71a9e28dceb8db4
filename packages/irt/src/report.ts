// Turns per-examinee CAT outcomes into the figures a test designer judges a bank by:
// accuracy (bias, RMSE) by test length and by ability, test length, exposure.

import type { Classification, StopReason } from './stopping.js';

export interface ExamineeResult {
  readonly trueTheta: number;
  readonly theta: number;
  readonly se: number;
  readonly length: number;
  readonly reason: StopReason;
  readonly items: readonly number[];
  /** Items Sympson-Hetter selected for this examinee but did not administer. */
  readonly passedOver: readonly number[];
  /** Ability estimate after 1, 2, ... items. */
  readonly interim: readonly number[];
  /** With a classification rule: the side of the cut the final interval lies on. */
  readonly classification?: Classification;
}

export interface Accuracy {
  readonly examinees: number;
  readonly bias: number;
  readonly rmse: number;
}

export interface SimulationReport {
  readonly examinees: number;
  readonly seed: number;
  readonly overall: Accuracy & {
    readonly meanLength: number;
    readonly minLength: number;
    readonly maxLength: number;
    readonly meanSe: number;
  };
  /** Accuracy of the estimate after k items, over the examinees who reached k items. */
  readonly byLength: readonly (Accuracy & { readonly length: number })[];
  /** Final accuracy and mean length per band of true ability [from, to). */
  readonly byTheta: readonly (Accuracy & { readonly from: number; readonly to: number; readonly meanLength: number })[];
  /** How many tests ended at each length. */
  readonly lengthDistribution: Readonly<Record<string, number>>;
  readonly stopReasons: Readonly<Partial<Record<StopReason, number>>>;
  readonly exposure: {
    readonly maxRate: number;
    readonly meanRate: number;
    readonly neverUsed: number;
    readonly neverUsedIds: readonly string[];
    /** Share of examinees who saw each item, in bank order. */
    readonly rates: readonly number[];
  };
  /** With a classification rule: how many ended on each side, and how many of the decided were right. */
  readonly classification?: {
    readonly cut: number;
    readonly above: number;
    readonly below: number;
    readonly undecided: number;
    /** Decided examinees whose true ability lies on the side they were classified on. */
    readonly correct: number;
  };
}

export function accuracy(errors: readonly number[]): Accuracy {
  const n = errors.length;
  if (n === 0) return { examinees: 0, bias: 0, rmse: 0 };
  let sum = 0;
  let sq = 0;
  for (const e of errors) {
    sum += e;
    sq += e * e;
  }
  return { examinees: n, bias: sum / n, rmse: Math.sqrt(sq / n) };
}

/** Default ability bands: unit width, covering every true theta. */
export function defaultThetaBands(results: readonly ExamineeResult[]): number[] {
  if (results.length === 0) return [];
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of results) {
    lo = Math.min(lo, r.trueTheta);
    hi = Math.max(hi, r.trueTheta);
  }
  const edges: number[] = [];
  for (let e = Math.floor(lo); e <= Math.floor(hi) + 1; e++) edges.push(e);
  return edges;
}

export function summarize(
  results: readonly ExamineeResult[],
  itemIds: readonly string[],
  seed: number,
  bandEdges: readonly number[] = defaultThetaBands(results),
  cut?: number,
): SimulationReport {
  const n = results.length;
  const finalErrors = results.map((r) => r.theta - r.trueTheta);
  let lengthSum = 0;
  let seSum = 0;
  let minLength = Infinity;
  let maxLength = 0;
  const lengthDistribution: Record<string, number> = {};
  const stopReasons: Partial<Record<StopReason, number>> = {};
  const counts = new Float64Array(itemIds.length);
  for (const r of results) {
    lengthSum += r.length;
    seSum += r.se;
    minLength = Math.min(minLength, r.length);
    maxLength = Math.max(maxLength, r.length);
    lengthDistribution[String(r.length)] = (lengthDistribution[String(r.length)] ?? 0) + 1;
    stopReasons[r.reason] = (stopReasons[r.reason] ?? 0) + 1;
    for (const i of r.items) counts[i] = (counts[i] as number) + 1;
  }

  const byLength: (Accuracy & { length: number })[] = [];
  for (let k = 1; k <= maxLength; k++) {
    const errors: number[] = [];
    for (const r of results) {
      const est = r.interim[k - 1];
      if (est !== undefined) errors.push(est - r.trueTheta);
    }
    byLength.push({ length: k, ...accuracy(errors) });
  }

  const byTheta: (Accuracy & { from: number; to: number; meanLength: number })[] = [];
  for (let j = 0; j + 1 < bandEdges.length; j++) {
    const from = bandEdges[j] as number;
    const to = bandEdges[j + 1] as number;
    const band = results.filter((r) => r.trueTheta >= from && r.trueTheta < to);
    if (band.length === 0) continue;
    const meanLength = band.reduce((s, r) => s + r.length, 0) / band.length;
    byTheta.push({ from, to, ...accuracy(band.map((r) => r.theta - r.trueTheta)), meanLength });
  }

  let classification: SimulationReport['classification'];
  if (cut !== undefined) {
    const side = (c: Classification) => results.filter((r) => r.classification === c);
    const above = side('above');
    const below = side('below');
    const correct = above.filter((r) => r.trueTheta >= cut).length + below.filter((r) => r.trueTheta < cut).length;
    classification = { cut, above: above.length, below: below.length, undecided: n - above.length - below.length, correct };
  }

  const rates = Array.from(counts, (c) => (n > 0 ? c / n : 0));
  const neverUsedIds = itemIds.filter((_, i) => counts[i] === 0);
  return {
    examinees: n,
    seed,
    overall: {
      ...accuracy(finalErrors),
      meanLength: n > 0 ? lengthSum / n : 0,
      minLength: n > 0 ? minLength : 0,
      maxLength,
      meanSe: n > 0 ? seSum / n : 0,
    },
    byLength,
    byTheta,
    lengthDistribution,
    stopReasons,
    exposure: {
      maxRate: rates.reduce((m, r) => Math.max(m, r), 0),
      meanRate: rates.length > 0 ? rates.reduce((s, r) => s + r, 0) / rates.length : 0,
      neverUsed: neverUsedIds.length,
      neverUsedIds,
      rates,
    },
    ...(classification ? { classification } : {}),
  };
}
