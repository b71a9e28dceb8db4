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

t.test('mixed generated bank (3PL, GRM, GPCM) with a classification rule', async (t) => {
  const args = ['--items', '240', '--model', '3PL,GRM,GPCM', '--categories', '5', '--examinees', '150', '--max-items', '20', '--cut', '0.5', '--seed', '4'];
  const out = runSimulate(args, () => '');
  const report = JSON.parse(out) as SimulationReport;
  t.equal(report.examinees, 150);
  t.equal(report.exposure.rates.length, 240);
  t.ok(report.overall.maxLength <= 20);
  const c = report.classification!;
  t.equal(c.cut, 0.5);
  t.equal(c.above + c.below + c.undecided, 150, 'every examinee ends on a side or undecided');
  t.equal(report.stopReasons.classification, c.above + c.below, 'decided examinees stopped by the rule');
  t.equal(report.stopReasons['max-items'], c.undecided, 'the others at the length cap');
  t.ok(c.correct / (c.above + c.below) > 0.9, `${c.correct} of ${c.above + c.below} classified correctly`);
  t.ok(report.overall.rmse < 0.6, `RMSE ${report.overall.rmse}`);
  t.equal(runSimulate(args, () => ''), out, 'deterministic');
  const md = runSimulate([...args, '--format', 'markdown'], () => '');
  t.match(md, /## Classification at 0\.5/);
  t.match(md, /correctly classified: \d+ of \d+ decided/);
});

t.test('bank file mixing dichotomous and polytomous items of every model', async (t) => {
  const models = [
    (i: number) => ({ a: 1.2, b: -2 + i / 10, c: 0.15 }),
    (i: number) => ({ model: 'GRM', a: 1.4, b: [-1.5 + i / 12, -0.5 + i / 12, 0.5 + i / 12] }),
    (i: number) => ({ model: 'PCM', delta: [-1 + i / 15, i / 15] }),
    (i: number) => ({ model: 'GPCM', a: 0.9, delta: [-1.2 + i / 15, -0.2 + i / 15, 0.8 + i / 15] }),
    (i: number) => ({ model: 'RSM', lambda: -1.5 + i / 15, delta: [-0.8, 0, 0.8] }),
    (i: number) => ({ model: 'NRM', a: [0.8, 1.6], c: [0.5 - i / 20, -0.4 - i / 10] }),
  ];
  const items = Array.from({ length: 60 }, (_, i) => ({ id: `q${i}`, topic: i % 2 ? 'odd' : 'even', ...models[i % 6]!(i) }));
  const files: Record<string, string> = { 'bank.json': JSON.stringify({ D: 1.702, items }) };
  const report = JSON.parse(runSimulate(['--bank', 'bank.json', '--examinees', '60', '--se', '0.35', '--max-items', '15', '--content', 'odd=1,even=1', '--estimator', 'WLE'], (p) => files[p]!)) as SimulationReport;
  t.equal(report.exposure.rates.length, 60);
  for (const [m, name] of ['3PL', 'GRM', 'PCM', 'GPCM', 'RSM', 'NRM'].entries()) {
    const used = report.exposure.rates.filter((r, i) => i % 6 === m && r > 0).length;
    t.ok(used > 0, `${name} items are administered (${used})`);
  }
  t.ok(Number.isFinite(report.overall.rmse) && report.overall.rmse < 0.8, `RMSE ${report.overall.rmse}`);
  files['bad.json'] = JSON.stringify([{ model: 'GRM', a: 1, b: [1, 0] }]);
  t.throws(() => runSimulate(['--bank', 'bad.json'], (p) => files[p]!), /strictly increasing/);
});

t.test('argument errors', async (t) => {
  t.throws(() => parseSimulateArgs(['--items']), /needs a value/);
  t.throws(() => parseSimulateArgs(['--items', 'many']), /needs a number/);
  t.throws(() => parseSimulateArgs(['--estimator', 'OLS']), /must be one of/);
  t.throws(() => parseSimulateArgs(['--frobnicate']), /unknown option/);
  t.throws(() => parseSimulateArgs(['--model', '3PL,IRT9']), /must be one of/);
  t.same(parseSimulateArgs(['--model', '2PL,NRM']).models, ['2PL', 'NRM']);
  t.throws(() => runSimulate(['--alpha', '0.1'], () => ''), /--alpha needs --cut/);
  t.throws(() => runSimulate(['--cut', '0', '--alpha', '2', '--items', '20', '--examinees', '1'], () => ''), /alpha must be in/);
  t.match(runSimulate(['--help'], () => ''), /Usage: pnpm simulate/);
  t.same(parseSimulateArgs(['--content', 'a=1,b=3']).content, { a: 1, b: 3 });
});

t.test('the selection designs from flags: a-stratified, eligibility from --exposure, posterior-weighted', async (t) => {
  const args = parseSimulateArgs(['--strata', '3', '--strata-lengths', '2,3,5', '--posterior-weighted', '4', '--eligibility']);
  t.equal(args.strata, 3);
  t.same(args.strataLengths, [2, 3, 5]);
  t.equal(args.posteriorWeighted, 4);
  t.equal(args.eligibility, true);
  // The middle items, which every test near θ = 0 would use, made ineligible for everyone.
  const bank = { items: Array.from({ length: 40 }, (_, i) => ({ id: `q${i}`, a: 0.6 + (i % 7) * 0.2, b: -2 + (4 * i) / 39 })) };
  const files: Record<string, string> = { 'bank.json': JSON.stringify(bank), 'e.json': JSON.stringify({ q20: 0, q19: 0 }) };
  const base = ['--bank', 'bank.json', '--examinees', '30', '--max-items', '10', '--seed', '2'];
  const stratified = JSON.parse(runSimulate([...base, '--strata', '2', '--strata-lengths', '4,6'], (p) => files[p]!)) as SimulationReport;
  const plain = JSON.parse(runSimulate(base, (p) => files[p]!)) as SimulationReport;
  t.notSame(stratified.exposure.rates, plain.exposure.rates, 'stratification changes which items are given');
  const eligible = JSON.parse(runSimulate([...base, '--exposure', 'e.json', '--eligibility'], (p) => files[p]!)) as SimulationReport;
  t.equal(plain.exposure.rates[20]! + plain.exposure.rates[19]! > 0, true, 'the middle items are used without control');
  t.equal(eligible.exposure.rates[20], 0, 'an item with eligibility 0 is never given');
  t.equal(eligible.exposure.rates[19], 0, 'nor the other');
  t.equal(eligible.overall.meanLength, 10, 'tests complete');
});
