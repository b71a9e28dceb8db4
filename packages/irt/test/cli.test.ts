// The simulate command end to end, with file reading injected.

import t from 'tap';
import { runSimulate } from '../src/cli/simulate.js';
import { parseSimulateArgs } from '../src/cli/args.js';
import type { SimulationReport } from '../src/index.js';

t.test('generated bank, JSON report', async (t) => {
  const out = runSimulate(['--items', '200', '--examinees', '60', '--max-items', '12', '--seed', '3'], () => {
    throw new Error('no file expected');
  });
  const report = JSON.parse(out) as SimulationReport;
  t.equal(report.examinees, 60);
  t.equal(report.overall.maxLength, 12);
  t.equal(report.exposure.rates.length, 200);
  t.equal(report.byLength.length, 12);
  const again = runSimulate(['--items', '200', '--examinees', '60', '--max-items', '12', '--seed', '3'], () => '');
  t.equal(again, out, 'deterministic');
});

t.test('bank file with exposure parameters and topics, markdown report', async (t) => {
  const bank = {
    D: 1.702,
    items: Array.from({ length: 60 }, (_, i) => ({
      id: `q${i}`,
      a: 1 + (i % 5) * 0.2,
      b: -2 + (4 * i) / 59,
      c: 0.1,
      topic: i % 2 ? 'odd' : 'even',
      k: i === 30 ? 0 : 1,
    })),
  };
  const files: Record<string, string> = { 'bank.json': JSON.stringify(bank) };
  const args = ['--bank', 'bank.json', '--examinees', '40', '--se', '0.4', '--max-items', '25', '--sympson-hetter'];
  const json = JSON.parse(runSimulate([...args, '--content', 'odd=1,even=1'], (p) => files[p]!)) as SimulationReport;
  t.equal(json.exposure.rates[30], 0, 'k = 0 in the file is honoured');
  t.ok(json.exposure.neverUsedIds.includes('q30'));
  const md = runSimulate([...args, '--format', 'markdown'], (p) => files[p]!);
  t.match(md, /^# CAT simulation/);
  t.match(md, /\| k \| examinees \| bias \| RMSE \|/);
  t.match(md, /items never used: \d+ of 60/);
});

t.test('argument errors', async (t) => {
  t.throws(() => parseSimulateArgs(['--items']), /needs a value/);
  t.throws(() => parseSimulateArgs(['--items', 'many']), /needs a number/);
  t.throws(() => parseSimulateArgs(['--estimator', 'OLS']), /must be one of/);
  t.throws(() => parseSimulateArgs(['--frobnicate']), /unknown option/);
  t.match(runSimulate(['--help'], () => ''), /Usage: pnpm simulate/);
  t.same(parseSimulateArgs(['--content', 'a=1,b=3']).content, { a: 1, b: 3 });
});
