// One examinee's adaptive test as explicit state plus two pure steps (choose the next
// item, record an answer), so a server, the simulator and tests all drive the same code.

import type { ItemBank } from './bank.js';
import { aStratification, maskToStratum, stratumAt } from './a-stratification.js';
import type { AStratifiedDesign } from './a-stratification.js';
import { bankItem, bankItems } from './bank.js';
import { estimateEapFromGrid, extendGridLogLikelihood, gridLogLikelihood } from './estimators/eap.js';
import { contentTargets } from './content-balancing.js';
import { estimateAbility } from './estimators/estimate.js';
import { normalQuadrature } from './gauss-hermite.js';
import type { Estimate, EstimationOptions, EstimatorName } from './estimators/options.js';
import { enemyIndex, excludeEnemies } from './enemies.js';
import { sympsonHetterAdmits, validateExposureParameters } from './exposure.js';
import type { Rng } from './rng.js';
import { itemSetIndex, pendingSetItem } from './item-sets.js';
import { bankInformation, createSelectionScratch, selectItem } from './selection.js';
import type { SelectionScratch } from './selection.js';
import { classify, stopReason, validateStoppingRules } from './stopping.js';
import type { Classification, StopReason, StoppingRules } from './stopping.js';

export interface CatConfig {
  readonly bank: ItemBank;
  /** Ability estimator after each answer (default EAP). */
  readonly estimator?: EstimatorName;
  /** Prior, range and EAP grid; D always comes from the bank. */
  readonly estimation?: Omit<EstimationOptions, 'D'>;
  /** Ability used to choose the first item (default: the prior mean, 0). */
  readonly startTheta?: number;
  /** Randomesque exposure control: choose among this many best items (default 1). */
  readonly randomesque?: number;
  /** Sympson-Hetter exposure parameter K_i for every bank item. */
  readonly sympsonHetter?: ArrayLike<number>;
  /**
   * Item eligibility (van der Linden & Veldkamp 2004): item i is open to an examinee with
   * probability P(E_i), drawn once before the first item; items drawn ineligible are never
   * given to that examinee. See deriveSympsonHetter's `control: 'eligibility'`.
   */
  readonly itemEligibility?: ArrayLike<number>;
  /**
   * The first this many items are ranked by information averaged over the current posterior,
   * approximated as N(θ̂, SE²) on 9 Gauss-Hermite points (Veerkamp & Berger 1997), rather than
   * at θ̂ alone: early on θ̂ is poor and a peaked item's information at it is not what it will
   * give (default 0).
   */
  readonly posteriorWeighted?: number;
  /** a-stratified design with b-blocking: the first items from low-a items, the last from high-a ones. */
  readonly aStratified?: AStratifiedDesign;
  /** Content balancing: target share per topic, e.g. { algebra: 0.4, geometry: 0.6 }. */
  readonly contentTargets?: Readonly<Record<string, number>>;
  /** Enemy items: groups of bank item ids of which a test gives at most one. */
  readonly enemies?: readonly (readonly string[])[];
  /** Item sets: lists of bank item ids given one after the other once the first is chosen. */
  readonly itemSets?: readonly (readonly string[])[];
  readonly stopping: StoppingRules;
}

export interface CatSession {
  /** Bank indices administered, in order. */
  readonly items: readonly number[];
  /** Answer categories: 0/1 for dichotomous items, 0..K for polytomous ones. */
  readonly responses: readonly number[];
  /** Current ability estimate (the start value before any answer). */
  readonly theta: number;
  readonly se: number;
  /** 1 for every item that may not be chosen: administered, an enemy of one administered, or passed over by Sympson-Hetter. */
  readonly excluded: Uint8Array;
  /** Administered items per bank topic. */
  readonly topicCounts: Int32Array;
}

export type CatStep =
  | {
      readonly done: false;
      readonly item: number;
      readonly information: number;
      readonly session: CatSession;
      /** Items Sympson-Hetter selected but did not administer in this step (selected = these + item). */
      readonly passedOver: readonly number[];
    }
  | {
      readonly done: true;
      readonly reason: StopReason;
      readonly session: CatSession;
      /** With a classification rule: the side of the cut score the final interval lies on. */
      readonly classification?: Classification;
    };

export interface CatEngine {
  readonly config: CatConfig;
  /** Session before the first item. */
  start(): CatSession;
  /** Stop, or pick the next item. `elapsedMs` feeds the time-limit rule. */
  next(session: CatSession, rng: Rng, elapsedMs?: number): CatStep;
  /** Session after `item` was answered in category `response`, with ability and SE re-estimated. */
  answer(session: CatSession, item: number, response: number): CatSession;
}

export function createCatEngine(config: CatConfig): CatEngine {
  const { bank } = config;
  const method = config.estimator ?? 'EAP';
  const estimation: EstimationOptions = { ...config.estimation, D: bank.D };
  validateStoppingRules(config.stopping);
  if (config.sympsonHetter) validateExposureParameters(config.sympsonHetter, bank.size);
  if (config.itemEligibility) validateExposureParameters(config.itemEligibility, bank.size);
  const eligibility = config.itemEligibility;
  const strata = config.aStratified ? aStratification(bank, config.aStratified, config.stopping.maxItems) : undefined;
  const stratumMask = strata ? new Uint8Array(bank.size) : undefined;
  const weightedItems = config.posteriorWeighted ?? 0;
  const quadrature = weightedItems > 0 ? normalQuadrature(9) : undefined;
  const randomesque = Math.max(1, Math.floor(config.randomesque ?? 1));
  const targets = config.contentTargets ? contentTargets(bank.topics, config.contentTargets) : undefined;
  const enemies = config.enemies ? enemyIndex(bank, config.enemies) : undefined;
  const sets = config.itemSets ? itemSetIndex(bank, config.itemSets) : undefined;
  // Working memory only: every call leaves it as it found it, so one engine can serve
  // many sessions one call at a time.
  const scratch: SelectionScratch = createSelectionScratch(bank, randomesque);

  const estimate = (items: readonly number[], responses: readonly number[]): Estimate =>
    estimateAbility(method, bankItems(bank, items), responses, estimation);
  // EAP after each answer from log L on its grid, kept per session and extended by the
  // new answer only: the same figures as estimating from all answers (eap.ts), at the cost
  // of one item rather than the whole test, which is what makes simulations of thousands
  // of examinees quick enough to derive exposure parameters by. A session built elsewhere
  // (no entry) is estimated from all its answers.
  const eapLogLikelihood = method === 'EAP' ? new WeakMap<CatSession, Float64Array>() : undefined;
  const carry = (from: CatSession, to: CatSession): CatSession => {
    const ll = eapLogLikelihood?.get(from);
    if (ll) eapLogLikelihood?.set(to, ll);
    return to;
  };
  const rule = config.stopping.classification;
  const done = (reason: StopReason, session: CatSession): CatStep =>
    rule ? { done: true, reason, session, classification: classify(rule, session.theta, session.se) } : { done: true, reason, session };

  return {
    config,
    start(): CatSession {
      const prior = estimate([], []);
      return {
        items: [],
        responses: [],
        theta: config.startTheta ?? prior.theta,
        se: prior.se,
        excluded: new Uint8Array(bank.size),
        topicCounts: new Int32Array(bank.topics.length),
      };
    },

    next(session: CatSession, rng: Rng, elapsedMs = 0): CatStep {
      const reason = stopReason(config.stopping, {
        itemsAdministered: session.items.length,
        se: session.se,
        theta: session.theta,
        elapsedMs,
      });
      if (reason) return done(reason, session);
      const last = session.items[session.items.length - 1];
      if (sets && last !== undefined) {
        // The rest of an item set follows its first item, whatever else is more informative.
        const pending = pendingSetItem(sets, last, session.excluded);
        if (pending >= 0) return { done: false, item: pending, information: bankInformation(bank, pending, session.theta), session, passedOver: [] };
      }
      let next = session;
      if (eligibility && session.items.length === 0) {
        // Eligibility is drawn once per examinee, before the first item: an ineligible item
        // never competes, so no step is spent selecting and refusing it.
        const excluded = session.excluded.slice();
        for (let i = 0; i < bank.size; i++) if (!sympsonHetterAdmits(eligibility[i] as number, rng)) excluded[i] = 1;
        next = carry(session, { ...session, excluded });
      }
      const options = {
        randomesque,
        ...(config.sympsonHetter ? { sympsonHetter: config.sympsonHetter } : {}),
        ...(targets ? { contentTargets: targets, topicCounts: next.topicCounts } : {}),
        ...(quadrature && next.items.length < weightedItems
          ? { weighted: { theta: Array.from(quadrature.nodes, (z) => next.theta + next.se * z), weight: quadrature.weights } }
          : {}),
      };
      let choice;
      let refusedInStratum: readonly number[] = [];
      // An a-stratified test draws from its current stratum while that has items left, then from the whole bank.
      if (strata && stratumMask && maskToStratum(strata, stratumAt(strata, next.items.length), next.excluded, stratumMask)) {
        choice = selectItem(bank, next.theta, stratumMask, rng, options, scratch);
        if (choice.index < 0) refusedInStratum = choice.rejected;
      }
      if (!choice || choice.index < 0) {
        const whole = selectItem(bank, next.theta, next.excluded, rng, options, scratch);
        choice = refusedInStratum.length > 0 ? { ...whole, rejected: [...refusedInStratum, ...whole.rejected] } : whole;
      }
      if (choice.rejected.length > 0) {
        // Classical Sympson-Hetter: an item passed over is not offered again to this examinee.
        const excluded = next.excluded.slice();
        for (const i of choice.rejected) excluded[i] = 1;
        next = carry(session, { ...next, excluded });
      }
      if (choice.index < 0) return done('bank-exhausted', next);
      return { done: false, item: choice.index, information: choice.information, session: next, passedOver: choice.rejected };
    },

    answer(session: CatSession, item: number, response: number): CatSession {
      if (!(Number.isInteger(item) && item >= 0 && item < bank.size)) throw new RangeError(`no item ${item} in bank`);
      const top = (bank.categories[item] as number) - 1;
      if (!(Number.isInteger(response) && response >= 0 && response <= top)) {
        throw new RangeError(top === 1 ? 'response must be 0 or 1' : `response must be a category 0..${top}`);
      }
      if (session.items.includes(item)) throw new RangeError(`item ${item} was already administered`);
      const items = [...session.items, item];
      const responses = [...session.responses, response];
      let ll: Float64Array | undefined;
      if (eapLogLikelihood) {
        const before = eapLogLikelihood.get(session) ?? gridLogLikelihood(bankItems(bank, session.items), session.responses, estimation);
        ll = extendGridLogLikelihood(before, bankItem(bank, item), response, estimation);
      }
      const { theta, se } = ll ? estimateEapFromGrid(ll, estimation) : estimate(items, responses);
      const excluded = session.excluded.slice();
      excluded[item] = 1;
      if (enemies) excludeEnemies(excluded, enemies, item);
      const topicCounts = session.topicCounts.slice();
      const topic = bank.topicOf[item] as number;
      if (topic >= 0) topicCounts[topic] = (topicCounts[topic] as number) + 1;
      const next: CatSession = { items, responses, theta, se, excluded, topicCounts };
      if (ll) eapLogLikelihood?.set(next, ll);
      return next;
    },
  };
}
