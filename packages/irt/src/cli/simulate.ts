// `pnpm simulate`: runs a CAT simulation on a JSON bank (or a seeded random one) and
// prints the report. With exposure.ts, the only part of the package that reads files or the console.

import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { simulateCats } from '../simulate.js';
import { parseSimulateArgs, USAGE } from './args.js';
import { reportToMarkdown } from './markdown.js';
import { simulationSetup } from './simulation-setup.js';

/** Runs the command; returns what it prints. `readText` is injected so tests need no files. */
export function runSimulate(argv: readonly string[], readText: (path: string) => string): string {
  const args = parseSimulateArgs(argv);
  if (args.help) return USAGE;
  const { config, thetas } = simulationSetup(args, readText);
  const report = simulateCats(config, thetas, { seed: args.seed, msPerItem: args.msPerItem });
  if (args.format === 'markdown') return reportToMarkdown(report);
  return JSON.stringify(report, null, 2);
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(entry).href) {
  try {
    process.stdout.write(`${runSimulate(process.argv.slice(2), (p) => readFileSync(p, 'utf8'))}\n`);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}\n`);
    process.exitCode = 1;
  }
}
