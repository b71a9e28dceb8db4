// The ability distribution chart: one bar per bin, heights proportional to counts, the
// summary markers where the data put them, and escaping and empty states like the history.
import t from 'tap'
import { ChartInputError, abilityDistributionChart, summarize } from '../src/index.js'
import { byClass, byName, num, parseXml, textContent } from './xml.js'
import type { XmlElement } from './xml.js'

/** Deterministic, roughly normal abilities (sum of uniforms from a tiny LCG). */
function abilities (n: number, seed = 1): number[] {
  let state = seed
  const uniform = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state / 2 ** 32
  }
  return Array.from({ length: n }, () => 0.4 + 1.2 * (uniform() + uniform() + uniform() + uniform() - 2))
}

/** Counts per bin computed here, independently: bin k covers [min + k w, min + (k + 1) w). */
function expectedCounts (values: number[], bins: number): number[] {
  const min = Math.min(...values)
  const max = Math.max(...values)
  const counts = new Array<number>(bins).fill(0)
  for (const v of values) {
    let k = 0
    while (k < bins - 1 && v >= min + ((k + 1) * (max - min)) / bins) k++
    counts[k]!++
  }
  return counts
}

function bars (svg: XmlElement): XmlElement[] {
  return byClass(svg, 'bar')
}

t.test('one bar per bin, bar heights proportional to counts', async (t) => {
  const values = abilities(500)
  for (const bins of [1, 7, 12, 25]) {
    const svg = parseXml(abilityDistributionChart({ title: 'bins', values, bins }))
    const rects = bars(svg)
    t.equal(rects.length, bins, `${bins} bins, ${bins} bars`)
    const counts = expectedCounts(values, bins)
    t.equal(counts.reduce((s, c) => s + c, 0), values.length)
    const biggest = counts.indexOf(Math.max(...counts))
    const pxPerCount = num(rects[biggest]!, 'height') / counts[biggest]!
    rects.forEach((rect, k) => {
      t.ok(Math.abs(num(rect, 'height') - counts[k]! * pxPerCount) < 0.02, `bin ${k}: height for ${counts[k]} examinees`)
      t.match(textContent(rect), new RegExp(`: ${counts[k]} examinees?$`), 'the tooltip states the count')
    })
    const baseline = num(rects[0]!, 'y') + num(rects[0]!, 'height')
    t.ok(rects.every((r) => Math.abs(num(r, 'y') + num(r, 'height') - baseline) < 0.02), 'bars stand on one baseline')
    for (let k = 1; k < rects.length; k++) t.ok(num(rects[k]!, 'x') > num(rects[k - 1]!, 'x'), 'bins run left to right')
  }
})

t.test('the default bin count follows Sturges, within 5 to 30', async (t) => {
  t.equal(bars(parseXml(abilityDistributionChart({ title: 'd', values: abilities(500) }))).length, 10, 'ceil(log2 500) + 1')
  t.equal(bars(parseXml(abilityDistributionChart({ title: 'd', values: [0.5] }))).length, 5, 'at least 5')
})

t.test('mean and median markers sit at their values on the bars\' scale; the IQR box spans q1..q3', async (t) => {
  const values = [0, 1, 2, 2, 3, 3, 3, 4, 4, 10]
  const stats = summarize(values)
  const svg = parseXml(abilityDistributionChart({ title: 'm', values, bins: 10 }))
  const rects = bars(svg)
  // Bars span [0, 10] in data; both ends carry the same half-pixel gap.
  const gap = num(rects[1]!, 'x') - (num(rects[0]!, 'x') + num(rects[0]!, 'width'))
  const left = num(rects[0]!, 'x') - gap / 2
  const right = num(rects[9]!, 'x') + num(rects[9]!, 'width') + gap / 2
  const at = (v: number): number => left + (v / 10) * (right - left)
  t.ok(Math.abs(num(byClass(svg, 'marker-mean')[0]!, 'x1') - at(stats.mean)) < 0.02, `mean ${stats.mean}`)
  t.ok(Math.abs(num(byClass(svg, 'marker-median')[0]!, 'x1') - at(stats.median)) < 0.02, `median ${stats.median}`)
  const iqr = byClass(svg, 'iqr')[0]!
  t.ok(Math.abs(num(iqr, 'x') - at(stats.q1)) < 0.02, 'IQR box starts at q1')
  t.ok(Math.abs(num(iqr, 'x') + num(iqr, 'width') - at(stats.q3)) < 0.02, 'IQR box ends at q3')
  t.match(textContent(byName(svg, 'desc')[0]!), /Histogram of 10 abilities in 10 bins from 0\.00 to 10\.00; mean 3\.20; median 3\.00; middle half from 2\.00 to 3\.75/)
})

t.test('summarize: mean and type-7 quartiles', async (t) => {
  t.same(summarize([4, 1, 3, 2]), { mean: 2.5, median: 2.5, q1: 1.75, q3: 3.25 })
  t.same(summarize([7]), { mean: 7, median: 7, q1: 7, q3: 7 })
})

t.test('markers can be supplied, overridden one by one, or switched off', async (t) => {
  const values = abilities(100)
  const given = parseXml(abilityDistributionChart({ title: 'g', values, markers: { mean: 0, median: 0.5, q1: -1, q3: 1 } }))
  t.match(textContent(byName(given, 'desc')[0]!), /mean 0\.00; median 0\.50; middle half from −1\.00 to 1\.00/)
  const none = parseXml(abilityDistributionChart({ title: 'n', values, markers: null }))
  t.equal(byClass(none, 'marker-mean').length + byClass(none, 'marker-median').length + byClass(none, 'iqr').length, 0)
  const partial = parseXml(abilityDistributionChart({ title: 'p', values, markers: { mean: 1.5 } }))
  t.match(textContent(byName(partial, 'desc')[0]!), new RegExp(`mean 1\\.50; median ${summarize(values).median.toFixed(2)}`))
})

t.test('the count axis starts at 0 and rises upward; the ability axis is labelled', async (t) => {
  const svg = parseXml(abilityDistributionChart({ title: 'axes', values: abilities(300), bins: 8 }))
  const labels = byClass(svg, 'y-axis')[0]!.children.filter((c): c is XmlElement => typeof c !== 'string' && c.name === 'text')
  const counts = labels.map((l) => Number(textContent(l)))
  t.equal(counts[0], 0)
  for (let k = 1; k < labels.length; k++) {
    t.ok(counts[k]! > counts[k - 1]! && num(labels[k]!, 'y') < num(labels[k - 1]!, 'y'), 'higher counts are drawn higher up')
  }
  const tallest = Math.max(...bars(svg).map((r) => num(r, 'height')))
  t.ok(num(labels[0]!, 'y') - num(labels[labels.length - 1]!, 'y') >= tallest - 0.01, 'the top tick is at or above the tallest bar')
  const texts = byName(svg, 'text').map(textContent)
  t.ok(texts.includes('Ability (θ)') && texts.includes('Examinees'))
})

t.test('a malicious title is escaped and comes back verbatim', async (t) => {
  const title = 'Class "7B" <img src=x onerror=alert(1)> & co\'s'
  const output = abilityDistributionChart({ title, values: abilities(50) })
  t.notMatch(output, /<img/)
  const svg = parseXml(output)
  t.equal(textContent(byName(svg, 'title')[0]!), title)
  t.equal(byName(svg, 'img').length, 0)
})

t.test('no values: a friendly empty state', async (t) => {
  const svg = parseXml(abilityDistributionChart({ title: 'Empty', values: [] }))
  t.equal(svg.attributes.role, 'img')
  t.equal(bars(svg).length, 0)
  t.equal(byClass(svg, 'empty-state').length, 1)
  t.ok(byName(svg, 'text').some((e) => textContent(e) === 'No ability estimates to show yet'))
})

t.test('all values equal: one full bar centred on the value', async (t) => {
  const svg = parseXml(abilityDistributionChart({ title: 'same', values: [1, 1, 1], bins: 3 }))
  const rects = bars(svg)
  t.same(rects.map((r) => num(r, 'height') > 0), [false, true, false])
  t.match(textContent(rects[1]!), /0\.83 to 1\.17: 3 examinees/)
})

t.test('deterministic, and invalid input is rejected with CHARTS_INVALID_INPUT', async (t) => {
  const values = abilities(200)
  t.equal(abilityDistributionChart({ title: 'd', values }), abilityDistributionChart({ title: 'd', values: [...values].reverse() }), 'order of values does not matter')
  for (const bad of [{ values: [1, NaN] }, { values: [1], bins: 0 }, { values: [1], bins: 2.5 }, { values: [1], markers: { mean: Infinity } }]) {
    t.throws(() => abilityDistributionChart({ title: 'x', ...bad }), { code: 'CHARTS_INVALID_INPUT' })
  }
  t.throws(() => abilityDistributionChart({ title: 'x', values: [], height: Number.NaN }), ChartInputError)
})
