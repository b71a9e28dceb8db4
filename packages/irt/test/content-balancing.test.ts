// Content balancing: the topic rule itself, and whole CATs that end up on blueprint.

import t from 'tap';
import { chooseTopic, contentTargets, createItemBank, createRng, generateBank, simulateCats } from '../src/index.js';
import { readFileSync } from 'node:fs';

const none = (n: number): Uint8Array => new Uint8Array(n);

t.test('contentTargets normalizes and aligns with the bank topics', async (t) => {
  const targets = contentTargets(['b', 'a', 'c'], { a: 2, b: 6 });
  t.same(Array.from(targets), [0.75, 0.25, 0]);
  t.throws(() => contentTargets(['a'], { z: 1 }), RangeError, 'unknown topic');
  t.throws(() => contentTargets(['a'], { a: 0 }), RangeError, 'no positive weight');
});

t.test('chooseTopic: untouched topics first, then the largest shortfall', async (t) => {
  const targets = Float64Array.from([0.5, 0.3, 0.2]);
  t.equal(chooseTopic(targets, [3, 0, 2], none(3), createRng(1)), 1, 'the only topic without items');
  // observed 0.4 / 0.4 / 0.2 against 0.5 / 0.3 / 0.2: topic 0 is furthest below.
  t.equal(chooseTopic(targets, [2, 2, 1], none(3), createRng(1)), 0);
  // observed 0.6 / 0.2 / 0.2: topic 1 is 0.1 short.
  t.equal(chooseTopic(targets, [3, 1, 1], none(3), createRng(1)), 1);
  // topic 0 exhausted: gaps are -0.1 (topic 1) and 0 (topic 2).
  t.equal(chooseTopic(targets, [2, 2, 1], Uint8Array.from([1, 0, 0]), createRng(1)), 2, 'exhausted topics are skipped');
  t.equal(chooseTopic(targets, [1, 1, 1], Uint8Array.from([1, 1, 1]), createRng(1)), -1, 'nothing left');
  t.equal(chooseTopic(Float64Array.from([1, 0]), [0, 0], none(2), createRng(1)), 0, 'zero target never chosen');
});

t.test('chooseTopic breaks ties at random, evenly', async (t) => {
  const rng = createRng(3);
  const seen = [0, 0, 0];
  for (let i = 0; i < 3000; i++) seen[chooseTopic(Float64Array.from([0.4, 0.4, 0.2]), [0, 0, 1], none(3), rng)]! += 1;
  t.equal(seen[2], 0);
  t.ok(Math.abs(seen[0]! / 3000 - 0.5) < 0.04, `tie split ${seen.join('/')}`);
});

t.test('CATs on catR\'s tcals bank reach the target proportions', async (t) => {
  const sel = JSON.parse(readFileSync(new URL('./vectors/selection.json', import.meta.url), 'utf8')) as {
    bank: { a: number; b: number; c: number; d: number; topic: string }[];
    contentTargets: Record<string, number>;
  };
  const bank = createItemBank(sel.bank);
  const length = 20;
  const thetas = Array.from({ length: 60 }, (_, i) => -2.5 + (5 * i) / 59);
  const report = simulateCats(
    { bank, estimator: 'EAP', contentTargets: sel.contentTargets, stopping: { maxItems: length } },
    thetas,
    { seed: 5 },
  );
  t.equal(report.overall.meanLength, length);
  // Recount topics from the exposure rates: rate * examinees = administrations.
  const perTopic = new Map<string, number>();
  report.exposure.rates.forEach((r, i) => {
    const topic = bank.topics[bank.topicOf[i]!]!;
    perTopic.set(topic, (perTopic.get(topic) ?? 0) + r * thetas.length);
  });
  const total = thetas.length * length;
  for (const [topic, target] of Object.entries(sel.contentTargets)) {
    const share = (perTopic.get(topic) ?? 0) / total;
    // Kingsbury-Zara keeps every test within one item of its blueprint.
    t.ok(Math.abs(share - target) <= 1 / length + 1e-9, `${topic}: ${share.toFixed(3)} vs ${target}`);
  }
  const free = simulateCats({ bank, estimator: 'EAP', stopping: { maxItems: length } }, thetas, { seed: 5 });
  const freeAudio1 = free.exposure.rates.reduce((s, r, i) => s + (bank.topics[bank.topicOf[i]!] === 'Audio1' ? r : 0), 0) / length;
  t.ok(Math.abs(freeAudio1 - 0.1) > 1 / length, `without balancing the shares drift (Audio1 ${freeAudio1.toFixed(3)})`);
});

t.test('a topic that runs out hands over to the others', async (t) => {
  const rng = createRng(8);
  const items = generateBank(40, rng, { topics: ['x', 'y'] });
  const bank = createItemBank(items);
  const xCount = bank.topicOf.filter((v) => v === bank.topics.indexOf('x')).length;
  const report = simulateCats({ bank, contentTargets: { x: 0.9, y: 0.1 }, stopping: { maxItems: 40 } }, [0], { seed: 1 });
  t.equal(report.overall.meanLength, 40, 'the whole bank is used');
  t.ok(xCount < 36, `x has only ${xCount} items`);
});
