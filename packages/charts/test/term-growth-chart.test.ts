// The term growth chart: valid SVG with a point and a ±1 SE bar per scored term, in the terms' order.
import t from 'tap'
import { ChartInputError, abilityDistributionChart, termGrowthChart } from '../src/index.js'
import { byClass, byName, num, parseXml, textContent } from './xml.js'

const terms = [
  { term: 'Autumn 2026', score: 205, se: 3 },
  { term: 'Winter 2027', score: null, se: null },
  { term: 'Spring 2027', score: 214, se: 4 }
]

t.test('a point and a ±1 SE bar per scored term, in the given order, and the change in the description', async (t) => {
  const svg = parseXml(termGrowthChart({ title: 'Sam: math per term', terms, valueLabel: 'Scale score', decimals: 0 }))
  t.equal(svg.attributes.role, 'img')
  const points = byClass(svg, 'point')
  t.equal(points.length, 2, 'the term without a score has no point')
  const [autumn, spring] = points.map((p) => ({ cx: num(p, 'cx'), cy: num(p, 'cy') }))
  t.ok(autumn!.cx < spring!.cx, 'terms left to right in their order')
  t.ok(spring!.cy < autumn!.cy, 'the higher score is drawn higher')
  t.same(points.map((p) => textContent(byName(p, 'title')[0]!)), ['Autumn 2026: 205 ± 3 (1 SE)', 'Spring 2027: 214 ± 4 (1 SE)'])
  const bars = byClass(svg, 'error-bar')
  t.equal(bars.length, 2)
  const vertical = byName(bars[1]!, 'line')[0]!
  // The bar spans score ± se: its length in pixels is 2·se times the axis' pixels per unit (from the two points).
  const perUnit = (autumn!.cy - spring!.cy) / (214 - 205)
  t.ok(Math.abs((num(vertical, 'y2') - num(vertical, 'y1')) - 2 * 4 * perUnit) < 0.05, 'the spring bar is ±4')
  const desc = textContent(byName(svg, 'desc')[0]!)
  t.match(desc, /Autumn 2026 205 ± 3, Spring 2027 214 ± 4; 1 term without a score; a change of \+9 from Autumn 2026 to Spring 2027/)
  const labels = byClass(svg, 'x-axis').flatMap((g) => byName(g, 'text')).map(textContent)
  t.same(labels, ['Autumn 2026', 'Winter 2027', 'Spring 2027'], 'every term on the axis, the empty one too')
  t.ok(byName(svg, 'text').map(textContent).includes('Scale score'), 'the axis is named as asked')
})

t.test('no scores: the empty state; bad input: ChartInputError', async (t) => {
  const empty = parseXml(termGrowthChart({ title: 'x', terms: [{ term: 'Autumn', score: null, se: null }] }))
  t.equal(byClass(empty, 'empty-state').length, 1)
  t.throws(() => termGrowthChart({ title: 'x', terms: [{ term: 'A', score: Number.NaN, se: 1 }] }), ChartInputError)
  t.throws(() => termGrowthChart({ title: 'x', terms: [{ term: 'A', score: 1, se: -1 }] }), ChartInputError)
  t.throws(() => termGrowthChart({ title: 'x', terms: [{ term: 'A', score: 1, se: null }] }), ChartInputError)
  t.throws(() => termGrowthChart({ title: 'x', terms: [], decimals: 7 }), ChartInputError)
})

t.test('the distribution chart names its axis as asked', async (t) => {
  const svg = parseXml(abilityDistributionChart({ title: 'x', values: [200, 210, 220], valueLabel: 'Scale score' }))
  t.ok(byName(svg, 'text').map(textContent).includes('Scale score'))
  const plain = parseXml(abilityDistributionChart({ title: 'x', values: [0, 1] }))
  t.ok(byName(plain, 'text').map(textContent).includes('Ability (θ)'), 'θ by default')
})
