import { createItemBank, generateBank, createRng, randomNormal, simulateCats, deriveSympsonHetter } from './src/index.js';
const bank = createItemBank(generateBank(300, createRng(3), { model: '2PL' }));
const tr = createRng(4); const th = Array.from({length:1000}, () => randomNormal(tr));
const config = { bank, stopping: { maxItems: 30 } };
const none = simulateCats(config, th, { seed: 1 });
const r5 = simulateCats({...config, randomesque: 5}, th, { seed: 1 });
console.log('none', none.byLength[29].rmse.toFixed(4), none.exposure.maxRate, none.exposure.neverUsed);
console.log('r5', r5.byLength[29].rmse.toFixed(4), r5.exposure.maxRate, r5.exposure.neverUsed);
for (const margin of [undefined]) {
  const t0 = performance.now();
  const d = deriveSympsonHetter(config, { target: 0.25, seed: 11, maxIterations: 30, ...(margin === undefined ? {} : { margin }) });
  const ms = performance.now() - t0;
  const sh = simulateCats({...config, sympsonHetter: d.k}, th, { seed: 1 });
  console.log('margin', margin, 'aim', d.aim.toFixed(4), 'conv', d.converged, 'chosen', d.chosen, ms.toFixed(0)+'ms');
  console.log(d.trace.map(t => `${t.iteration}:${t.maxExposure.toFixed(3)}/${t.restricted}/${t.rmse.toFixed(3)}`).join(' '));
  console.log('sh', sh.byLength[29].rmse.toFixed(4), sh.exposure.maxRate, sh.exposure.neverUsed, (sh.byLength[29].rmse/none.byLength[29].rmse).toFixed(4));
}
