// The exposure command end to end, and the simulate command running its output on a mixed
// bank with item sets, enemies and a classification rule (file reading injected).

import t from 'tap';
import { runExposure } from '../src/cli/exposure.js';
import type { ExposureOutput } from '../src/cli/exposure.js';
import { runSimulate } from '../src/cli/simulate.js';
import type { SimulationReport } from '../src/index.js';

/** 150 items: 2PL, 3PL, GRM and GPCM, three item sets, two enemy groups. */
function mixedBank(): string {
  const items = Array.from({ length: 150 }, (_, i) => {
    const location = -2.2 + (4.4 * ((i * 37) % 150)) / 149;
    const a = 0.7 + ((i * 13) % 10) / 7;
    const id = `q${i}`;
    switch (i % 5) {
      case 3: return { id, model: 'GRM', a, b: [location - 0.8, location, location + 0.8] };
      case 4: return { id, model: 'GPCM', a, delta: [location - 0.5, location + 0.5] };
      default: return { id, a, b: location, c: i % 5 === 2 ? 0.15 : 0 };
    }
  });
  const sets = [['q0', 'q1', 'q2'], ['q50', 'q51'], ['q100', 'q101', 'q102']];
  const enemies = [['q10', 'q11'], ['q20', 'q30', 'q40']];
  return JSON.stringify({ D: 1, items, sets, enemies });
}

const settings = ['--bank', 'bank.json', '--examinees', '300', '--max-items', '20', '--cut', '0.5'];

t.test('derived K for a mixed bank with sets, enemies and classification, then simulated from the file', async (t) => {
  const files: Record<string, string> = { 'bank.json': mixedBank() };
  const read = (p: string): string => files[p] ?? '';
  const out = runExposure([...settings, '--target', '0.3', '--seed', '2'], read) as ExposureOutput;
  t.same(runExposure([...settings, '--target', '0.3', '--seed', '2'], read), out, 'deterministic');
  const ids = Object.keys(out.setting);
  t.ok(ids.length > 0, `${ids.length} items restricted`);
  t.ok(ids.every((id) => /^q\d+$/.test(id)), 'keyed by the bank\'s item ids');
  t.ok(Object.values(out.setting).every((k) => typeof k === 'number' && k > 0 && k < 1), 'only K < 1 listed');
  t.match(out.markdown, /^# Sympson-Hetter exposure parameters/);
  t.match(out.markdown, /\| with the derived K \| /);

  files['k.json'] = JSON.stringify(out.setting);
  // Other examinees and selection draws than the derivation's.
  const run = (extra: string[]): SimulationReport => JSON.parse(runSimulate([...settings, '--seed', '5', ...extra], read)) as SimulationReport;
  const without = run([]);
  const withK = run(['--exposure', 'k.json']);
  t.equal(without.exposure.maxRate, 1, 'without K the first item goes to everyone');
  t.ok(withK.exposure.maxRate <= 0.3, `with K the maximum is ${withK.exposure.maxRate}`);
  t.ok(withK.exposure.neverUsed < without.exposure.neverUsed, 'more of the bank is used');
  const c = withK.classification!;
  t.equal(c.above + c.below + c.undecided, 300, 'classification reported for everyone');
  t.equal(withK.stopReasons.classification, c.above + c.below, 'the rule stopped the decided tests');
  t.ok(c.correct / (c.above + c.below) > 0.9, `${c.correct} of ${c.above + c.below} classified correctly`);

  // The file is what is applied: K = 0 for the hottest item takes it out.
  const hottest = without.exposure.rates.indexOf(1);
  files['zero.json'] = JSON.stringify({ [`q${hottest}`]: 0 });
  t.equal(run(['--exposure', 'zero.json']).exposure.rates[hottest], 0, `q${hottest} never given at K = 0`);
});

t.test('exposure command errors', async (t) => {
  const files: Record<string, string> = { 'bank.json': mixedBank(), 'bad.json': '{"nope": 0.5}', 'range.json': '{"q1": 2}' };
  const read = (p: string): string => files[p] ?? '';
  t.throws(() => runExposure(settings, read), /--target is required/);
  t.throws(() => runExposure([...settings, '--target', '0.3', '--sympson-hetter'], read), /derives them/);
  t.throws(() => runExposure([...settings, '--target', '1.5'], read), /target must be in/);
  t.throws(() => runSimulate([...settings, '--exposure', 'bad.json'], read), /unknown item nope/);
  t.throws(() => runSimulate([...settings, '--exposure', 'range.json'], read), /must be a number in \[0, 1\]/);
  t.match(runExposure(['--help'], read), /Usage: pnpm exposure --target R/);
});
