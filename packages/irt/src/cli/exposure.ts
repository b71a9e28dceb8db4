// `pnpm exposure`: derives Sympson-Hetter K for a bank under an exam's settings and prints
// them in the shape of the exam setting `sympsonHetter`, with a summary of what they do.

import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { deriveSympsonHetter, sympsonHetterSetting } from '../exposure-derivation.js';
import type { SympsonHetterDerivation } from '../exposure-derivation.js';
import type { SimulationReport } from '../report.js';
import { simulateCats } from '../simulate.js';
import { EXPOSURE_USAGE, parseSimulateArgs } from './args.js';
import { simulationSetup } from './simulation-setup.js';

export interface ExposureOutput {
  /** The exam setting: item id → K for the items with K < 1. */
  readonly setting: Record<string, number>;
  readonly markdown: string;
}

/** Runs the command. `readText` is injected so tests need no files. */
export function runExposure(argv: readonly string[], readText: (path: string) => string): ExposureOutput | string {
  const args = parseSimulateArgs(argv);
  if (args.help) return EXPOSURE_USAGE;
  if (args.target === undefined) throw new Error('--target is required');
  const { bank, config, thetas, drawTheta } = simulationSetup(args, readText);
  if (config.sympsonHetter || config.itemEligibility) throw new Error('--sympson-hetter and --exposure give K; the exposure command derives them');
  const derivation = deriveSympsonHetter(config, {
    target: args.target,
    examinees: args.examinees,
    // Its own seed, so the check below runs on examinees the derivation did not see.
    seed: (args.seed ^ 0x5bd1e995) >>> 0,
    drawTheta,
    ...(args.eligibility ? { control: 'eligibility' as const } : {}),
    ...(args.iterations !== undefined ? { maxIterations: args.iterations } : {}),
    ...(args.margin !== undefined ? { margin: args.margin } : {}),
  });
  // The check runs on the command's examinees and seed, which the derivation did not use.
  const without = simulateCats(config, thetas, { seed: args.seed });
  const withK = simulateCats(args.eligibility ? { ...config, itemEligibility: derivation.k } : { ...config, sympsonHetter: derivation.k }, thetas, { seed: args.seed });
  const setting = sympsonHetterSetting(bank.ids, derivation.k);
  return { setting, markdown: summary(derivation, without, withK, Object.keys(setting).length) };
}

function summary(d: SympsonHetterDerivation, without: SimulationReport, withK: SimulationReport, listed: number): string {
  const f = (x: number, digits = 3): string => x.toFixed(digits);
  const row = (name: string, r: SimulationReport): string =>
    `| ${name} | ${f(r.exposure.maxRate)} | ${f(r.overall.rmse)} | ${f(r.overall.meanLength, 2)} | ${r.exposure.neverUsed} |`;
  return [
    '# Sympson-Hetter exposure parameters',
    '',
    `Target ${d.target}, derived for ${f(d.aim, 4)}; ${d.converged ? 'converged' : 'did NOT converge'}: K of iteration ${d.chosen} of ${d.trace.length}. ${listed} items have K < 1.`,
    '',
    '| iteration | max exposure | max selection | items K < 1 after | RMSE |',
    '| ---: | ---: | ---: | ---: | ---: |',
    ...d.trace.map((s) => `| ${s.iteration} | ${f(s.maxExposure)} | ${f(s.maxSelection)} | ${s.restricted} | ${f(s.rmse)} |`),
    '',
    `Check on ${withK.examinees} other examinees (seed ${withK.seed}):`,
    '',
    '| control | max exposure | RMSE | mean length | never used |',
    '| --- | ---: | ---: | ---: | ---: |',
    row('the exam\'s settings without K', without),
    row('with the derived K', withK),
    '',
  ].join('\n');
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(entry).href) {
  try {
    const out = runExposure(process.argv.slice(2), (p) => readFileSync(p, 'utf8'));
    if (typeof out === 'string') {
      process.stdout.write(`${out}\n`);
    } else {
      process.stdout.write(`${JSON.stringify(out.setting, null, 2)}\n`);
      process.stderr.write(`${out.markdown}\n`);
    }
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n\n${EXPOSURE_USAGE}\n`);
    process.exitCode = 1;
  }
}
