// Command-line flags of the simulate command, parsed without I/O so they can be tested.

import type { EstimatorName } from '../estimators/options.js';
import type { ItemModel } from '../generate-bank.js';

const MODELS: readonly ItemModel[] = ['1PL', '2PL', '3PL', '4PL', 'GRM', 'PCM', 'GPCM', 'RSM', 'NRM'];

export interface SimulateArgs {
  bankFile?: string;
  items: number;
  /** One model, or several for a mixed bank (each item takes one at random). */
  models: ItemModel[];
  categories: number;
  topics: string[];
  D: number;
  seed: number;
  examinees: number;
  thetaDistribution: 'normal' | 'uniform';
  estimator: EstimatorName;
  minItems?: number;
  maxItems?: number;
  seTarget?: number;
  timeLimitMs?: number;
  cut?: number;
  alpha?: number;
  msPerItem: number;
  randomesque: number;
  sympsonHetter: boolean;
  /** --exposure: a file of Sympson-Hetter K by item id, as the exposure command prints it. */
  exposureFile?: string;
  /** The exposure command: maximum exposure rate to derive K for. */
  target?: number;
  iterations?: number;
  margin?: number;
  content?: Record<string, number>;
  /** --strata N [--strata-lengths a,b,...]: a-stratified design with b-blocking. */
  strata?: number;
  strataLengths?: number[];
  /** --posterior-weighted N: the first N items by posterior-weighted information. */
  posteriorWeighted?: number;
  /** --eligibility: the K of --exposure (and what the exposure command derives) are item eligibility probabilities. */
  eligibility: boolean;
  format: 'json' | 'markdown';
  help: boolean;
}

export const USAGE = `Usage: pnpm simulate [options]
  --bank FILE            JSON bank: an array of items or {D?, items: [...], enemies?: [[id, ...], ...],
                         sets?: [[id, ...], ...]} (enemies: groups of item ids of which a test gives
                         at most one; sets: items given one after the other); an item is
                         {id?, a?, b, c?, d?, topic?, k?} (dichotomous) or a polytomous one:
                         {model: "GRM", a, b: [...]}, {model: "PCM", delta: [...]},
                         {model: "GPCM", a, delta: [...]}, {model: "RSM", lambda, delta: [...]},
                         {model: "NRM", a: [...], c: [...]} (with id?, topic?, k? as well)
  --items N              generated bank size when no --bank (default 500)
  --model M[,M...]       generated bank model(s), from 1PL 2PL 3PL 4PL GRM PCM GPCM RSM NRM;
                         several make a mixed bank (default 3PL)
  --categories N         response categories of generated polytomous items (default 4)
  --topics A,B,...       topics for the generated bank
  --D 1|1.702            scaling constant (default 1, or the bank file's D)
  --seed N               random seed (default 1)
  --examinees N          simulated examinees (default 1000)
  --theta normal|uniform true abilities ~ N(0,1) or U(-3,3) (default normal)
  --estimator EAP|MAP|MLE|WLE (default EAP)
  --min-items N --max-items N --se X --time-limit-ms N --ms-per-item N
                         stopping rules (default: --max-items 30 when none of the
                         length, SE and time rules is given)
  --cut X [--alpha A]    classification rule: stop once the 1 - A interval (default A 0.05)
                         around theta lies above or below the cut X
  --randomesque K        choose among the K most informative items (default 1)
  --sympson-hetter       use each bank item's "k" as its Sympson-Hetter parameter
  --exposure FILE        Sympson-Hetter K by item id ({"item-7": 0.31, ...}; 1 for items not
                         listed), as \`pnpm exposure\` prints it and the exam setting takes it
  --content A=0.3,B=0.7  content-balancing targets
  --strata N             a-stratified design with b-blocking: N strata of rising a, the test's
                         items split evenly over them, low a first
  --strata-lengths L,... items from each stratum instead (one number per stratum)
  --posterior-weighted N the first N items by information averaged over N(theta, SE^2)
  --eligibility          the --exposure file holds item eligibility probabilities (van der
                         Linden & Veldkamp), drawn once per examinee, instead of Sympson-Hetter K
  --format json|markdown (default json)`;

export function parseSimulateArgs(argv: readonly string[]): SimulateArgs {
  const out: SimulateArgs = {
    items: 500,
    models: ['3PL'],
    categories: 4,
    topics: [],
    D: Number.NaN,
    seed: 1,
    examinees: 1000,
    thetaDistribution: 'normal',
    estimator: 'EAP',
    msPerItem: 0,
    randomesque: 1,
    sympsonHetter: false,
    eligibility: false,
    format: 'json',
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] as string;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    const num = (): number => {
      const raw = value();
      const v = Number(raw);
      if (!Number.isFinite(v)) throw new Error(`${flag} needs a number, got ${raw}`);
      return v;
    };
    switch (flag) {
      case '--': break; // `pnpm simulate -- --items 10` passes the separator through
      case '--bank': out.bankFile = value(); break;
      case '--items': out.items = num(); break;
      case '--model': out.models = value().split(',').map((m) => oneOf(flag, m, MODELS)); break;
      case '--categories': out.categories = num(); break;
      case '--topics': out.topics = value().split(',').filter(Boolean); break;
      case '--D': out.D = num(); break;
      case '--seed': out.seed = num(); break;
      case '--examinees': out.examinees = num(); break;
      case '--theta': out.thetaDistribution = oneOf(flag, value(), ['normal', 'uniform'] as const); break;
      case '--estimator': out.estimator = oneOf(flag, value(), ['EAP', 'MAP', 'MLE', 'WLE'] as const); break;
      case '--min-items': out.minItems = num(); break;
      case '--max-items': out.maxItems = num(); break;
      case '--se': out.seTarget = num(); break;
      case '--time-limit-ms': out.timeLimitMs = num(); break;
      case '--cut': out.cut = num(); break;
      case '--alpha': out.alpha = num(); break;
      case '--ms-per-item': out.msPerItem = num(); break;
      case '--randomesque': out.randomesque = num(); break;
      case '--sympson-hetter': out.sympsonHetter = true; break;
      case '--exposure': out.exposureFile = value(); break;
      case '--target': out.target = num(); break;
      case '--iterations': out.iterations = num(); break;
      case '--margin': out.margin = num(); break;
      case '--content': out.content = parseContent(value()); break;
      case '--strata': out.strata = num(); break;
      case '--strata-lengths': out.strataLengths = value().split(',').map(Number); break;
      case '--posterior-weighted': out.posteriorWeighted = num(); break;
      case '--eligibility': out.eligibility = true; break;
      case '--format': out.format = oneOf(flag, value(), ['json', 'markdown'] as const); break;
      case '--help': case '-h': out.help = true; break;
      default: throw new Error(`unknown option ${flag}`);
    }
  }
  return out;
}

function oneOf<T extends string>(flag: string, v: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(v)) return v as T;
  throw new Error(`${flag} must be one of ${allowed.join(', ')}, got ${v}`);
}

function parseContent(spec: string): Record<string, number> {
  const targets: Record<string, number> = {};
  for (const part of spec.split(',').filter(Boolean)) {
    const [topic, weight] = part.split('=');
    const w = Number(weight);
    if (!topic || !Number.isFinite(w)) throw new Error(`bad --content entry ${part}`);
    targets[topic] = w;
  }
  return targets;
}

export const EXPOSURE_USAGE = `Usage: pnpm exposure --target R [options]
  Derives Sympson-Hetter K for a bank under an exam's settings by the iterative simulation
  procedure, so that no item is given to more than a share R of examinees. Prints the exam
  setting \`sympsonHetter\` (item id -> K, items with K < 1) as JSON on stdout and a markdown
  summary on stderr.
  --target R             maximum exposure rate to promise, in (0, 1]
  --iterations N         simulations at most (default 40)
  --margin X             derive for R - X (default 3 sampling SDs of a rate at R over the
                         examinees per iteration: 3 sqrt(R (1 - R) / N))
  --examinees N          examinees per iteration and in the check (default 1000)
  --eligibility          derive item eligibility probabilities instead of K (no item sets)
  and every bank, model, stopping and selection option of pnpm simulate (--bank, --items,
  --model, --max-items, --se, --cut, --randomesque, --content, ...), which the K hold for.

${USAGE.split('\n').slice(1).join('\n')}`;
