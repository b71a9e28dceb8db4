// Human-readable rendering of a simulation report for pull requests and notes.

import type { SimulationReport } from '../report.js';

const f = (x: number, digits = 3): string => x.toFixed(digits);

export function reportToMarkdown(report: SimulationReport, title = 'CAT simulation'): string {
  const o = report.overall;
  const lines: string[] = [
    `# ${title}`,
    '',
    `${report.examinees} examinees, seed ${report.seed}.`,
    '',
    '| bias | RMSE | mean length | min | max | mean SE |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${f(o.bias)} | ${f(o.rmse)} | ${f(o.meanLength, 2)} | ${o.minLength} | ${o.maxLength} | ${f(o.meanSe)} |`,
    '',
    '## Test lengths',
    '',
    Object.entries(report.lengthDistribution)
      .map(([length, n]) => `${length} items: ${n}`)
      .join(', '),
    '',
    '## Stop reasons',
    '',
    ...Object.entries(report.stopReasons).map(([reason, n]) => `- ${reason}: ${n}`),
    '',
    '## Accuracy by test length (estimate after k items)',
    '',
    '| k | examinees | bias | RMSE |',
    '| ---: | ---: | ---: | ---: |',
    ...report.byLength.map((r) => `| ${r.length} | ${r.examinees} | ${f(r.bias)} | ${f(r.rmse)} |`),
    '',
    '## By true ability',
    '',
    '| theta | examinees | bias | RMSE | mean length |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...report.byTheta.map(
      (r) => `| [${r.from}, ${r.to}) | ${r.examinees} | ${f(r.bias)} | ${f(r.rmse)} | ${f(r.meanLength, 2)} |`,
    ),
    '',
    '## Exposure',
    '',
    `- maximum exposure rate: ${f(report.exposure.maxRate)}`,
    `- mean exposure rate: ${f(report.exposure.meanRate)}`,
    `- items never used: ${report.exposure.neverUsed} of ${report.exposure.rates.length}`,
    '',
  ];
  const c = report.classification;
  if (c) {
    const decided = c.above + c.below;
    lines.push(
      `## Classification at ${c.cut}`,
      '',
      `- above: ${c.above}, below: ${c.below}, undecided: ${c.undecided}`,
      `- correctly classified: ${c.correct} of ${decided} decided${decided > 0 ? ` (${f((100 * c.correct) / decided, 1)}%)` : ''}`,
      '',
    );
  }
  return lines.join('\n');
}
