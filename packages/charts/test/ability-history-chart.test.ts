// The ability history chart: valid, accessible SVG whose geometry follows the data.
import t, { type Test } from 'tap'
import { ChartInputError, abilityHistoryChart } from '../src/index.js'
import type { AbilityPoint } from '../src/index.js'
import { byClass, byName, num, parseXml, textContent } from './xml.js'
import type { XmlElement } from './xml.js'

function history (): AbilityPoint[] {
  // Deliberately out of time order, with a theta of exactly 0 to pin the zero line.
  return [
    { at: '2024-11-05T10:00:00Z', theta: 0.35, se: 0.38 },
    { at: new Date('2024-09-02T10:00:00Z'), theta: -1.2, se: 0.5, label: 'Diagnostic' },
    { at: '2025-01-15T10:00:00Z', theta: 0.8, se: 0.3, label: 'Final' },
    { at: '2024-10-11T10:00:00Z', theta: 0, se: 0.42 },
    { at: '2024-09-20T10:00:00Z', theta: -0.7, se: 0.45 }
  ]
}

function sortedByTime (points: AbilityPoint[]): Array<{ at: number, theta: number, se: number }> {
  return points.map((p) => ({ at: new Date(p.at).getTime(), theta: p.theta, se: p.se })).sort((a, b) => a.at - b.at)
}

function assertAccessibleSvg (t: Test, svg: XmlElement, width: number, height: number): void {
  t.equal(svg.name, 'svg')
  t.equal(svg.attributes.xmlns, 'http://www.w3.org/2000/svg')
  t.equal(svg.attributes.version, '1.1')
  t.equal(svg.attributes.viewBox, `0 0 ${width} ${height}`)
  t.equal(svg.attributes.role, 'img')
  const [title, desc] = svg.children as XmlElement[]
  t.equal(title?.name, 'title', 'first child is <title>')
  t.equal(desc?.name, 'desc', 'second child is <desc>')
  t.same(svg.attributes['aria-labelledby']?.split(' '), [title?.attributes.id, desc?.attributes.id], 'aria-labelledby names them')
}

t.test('a history renders as valid, accessible SVG with a description of the trend', async (t) => {
  const svg = parseXml(abilityHistoryChart({ title: 'Ability history', points: history() }))
  assertAccessibleSvg(t, svg, 640, 360)
  const desc = textContent(byName(svg, 'desc')[0]!)
  t.match(desc, /5 ability estimates from 2024-09-02 to 2025-01-15/)
  t.match(desc, /latest θ = 0\.80/)
  t.match(desc, /change of \+2\.00/)
})

t.test('points in time order map to increasing x, and x is proportional to time', async (t) => {
  const input = history()
  const svg = parseXml(abilityHistoryChart({ title: 'x', points: input }))
  const circles = byClass(svg, 'point')
  const expected = sortedByTime(input)
  t.equal(circles.length, expected.length, 'one marker per estimate')
  const xs = circles.map((c) => num(c, 'cx'))
  for (let i = 1; i < xs.length; i++) t.ok(xs[i]! > xs[i - 1]!, `x increases: ${xs[i - 1]} < ${xs[i]}`)
  const pxPerMs = (xs[xs.length - 1]! - xs[0]!) / (expected[expected.length - 1]!.at - expected[0]!.at)
  expected.forEach((p, i) => {
    const predicted = xs[0]! + (p.at - expected[0]!.at) * pxPerMs
    t.ok(Math.abs(xs[i]! - predicted) < 0.02, `x of ${new Date(p.at).toISOString()} is linear in time`)
  })
  t.match(textContent(circles[0]!), /Diagnostic, 2024-09-02: θ = −1\.20/, 'tooltips follow the sorted order')
})

t.test('y decreases as theta rises, linearly, with the zero line at theta = 0', async (t) => {
  const input = history()
  const svg = parseXml(abilityHistoryChart({ title: 'y', points: input }))
  const ys = byClass(svg, 'point').map((c) => num(c, 'cy'))
  const expected = sortedByTime(input)
  const pxPerTheta = (ys[0]! - ys[expected.length - 1]!) / (expected[expected.length - 1]!.theta - expected[0]!.theta)
  t.ok(pxPerTheta > 0, 'higher theta is drawn higher up (smaller y)')
  expected.forEach((p, i) => {
    const predicted = ys[0]! - (p.theta - expected[0]!.theta) * pxPerTheta
    t.ok(Math.abs(ys[i]! - predicted) < 0.02, `y of theta ${p.theta} is linear`)
  })
  const zero = byClass(svg, 'zero-line')[0]!
  const atZero = expected.findIndex((p) => p.theta === 0)
  t.equal(num(zero, 'y1'), ys[atZero], 'the zero line passes through the estimate with theta 0')
  const tickLabels = byClass(svg, 'y-axis')[0]!.children.filter((c): c is XmlElement => typeof c !== 'string' && c.name === 'text')
  const zeroLabel = tickLabels.find((l) => textContent(l) === '0')!
  t.ok(Math.abs(num(zeroLabel, 'y') - 4 - ys[atZero]!) < 0.01, 'the axis label "0" sits at theta 0')
  const values = tickLabels.map((l) => Number(textContent(l).replace('−', '-')))
  t.ok(Math.min(...values) <= -3 && Math.max(...values) >= 3, `the theta axis shows at least -3..3: ${values.join(', ')}`)
  tickLabels.forEach((l, i) => {
    t.ok(Math.abs(num(l, 'y') - 4 - (ys[0]! - (values[i]! - expected[0]!.theta) * pxPerTheta)) < 0.02, `tick ${values[i]} sits at its theta`)
  })
})

t.test('the 95% band spans theta +- 1.96 SE around every estimate', async (t) => {
  const input = history()
  const svg = parseXml(abilityHistoryChart({ title: 'band', points: input }))
  const ys = byClass(svg, 'point').map((c) => num(c, 'cy'))
  const xs = byClass(svg, 'point').map((c) => num(c, 'cx'))
  const expected = sortedByTime(input)
  const band = byClass(svg, 'band')[0]!
  const vertices = band.attributes.points!.split(' ').map((pair) => pair.split(',').map(Number) as [number, number])
  const n = expected.length
  t.equal(vertices.length, 2 * n, 'upper edge then lower edge')
  const pxPerTheta = (ys[0]! - ys[n - 1]!) / (expected[n - 1]!.theta - expected[0]!.theta)
  expected.forEach((p, i) => {
    const upper = vertices[i]!
    const lower = vertices[2 * n - 1 - i]!
    t.equal(upper[0], xs[i], 'upper vertex above the estimate')
    t.equal(lower[0], xs[i], 'lower vertex below the estimate')
    t.ok(Math.abs((ys[i]! - upper[1]) - 1.96 * p.se * pxPerTheta) < 0.02, `upper edge at +1.96 SE (se ${p.se})`)
    t.ok(Math.abs((lower[1] - ys[i]!) - 1.96 * p.se * pxPerTheta) < 0.02, `lower edge at -1.96 SE (se ${p.se})`)
  })
  t.equal(byClass(svg, 'line')[0]!.attributes.d!.split(' ').length, n, 'the line visits every estimate')
})

t.test('axes are labelled: dates along x, the theta scale along y', async (t) => {
  const svg = parseXml(abilityHistoryChart({ title: 'axes', points: history() }))
  const xLabels = byClass(svg, 'x-axis')[0]!.children.filter((c): c is XmlElement => typeof c !== 'string' && c.name === 'text')
  t.same(xLabels.map(textContent), ['Sep 2024', 'Oct 2024', 'Nov 2024', 'Dec 2024', 'Jan 2025'])
  const circles = byClass(svg, 'point')
  const first = Date.parse('2024-09-02T10:00:00Z')
  const last = Date.parse('2025-01-15T10:00:00Z')
  const pxPerMs = (num(circles[circles.length - 1]!, 'cx') - num(circles[0]!, 'cx')) / (last - first)
  for (const [i, month] of [[0, '2024-09-01'], [2, '2024-11-01'], [4, '2025-01-01']] as const) {
    const predicted = num(circles[0]!, 'cx') + (Date.parse(month) - first) * pxPerMs
    t.ok(Math.abs(num(xLabels[i]!, 'x') - predicted) < 0.02, `${month} is labelled where that date falls`)
  }
  const texts = byName(svg, 'text').map(textContent)
  t.ok(texts.includes('Date (UTC)'))
  t.ok(texts.includes('Ability (θ)'))
  t.ok(texts.includes('Diagnostic') && texts.includes('Final'), 'point labels are drawn on a sparse chart')
})

t.test('a malicious title is escaped and comes back verbatim', async (t) => {
  const title = '</title><script>alert("x")</script><title>& \'quoted\' \u0000'
  const output = abilityHistoryChart({ title, points: history().map((p) => ({ ...p, label: '<b>&</b>' })) })
  t.notMatch(output, /<script/, 'no script element')
  const svg = parseXml(output)
  t.equal(byName(svg, 'script').length, 0)
  t.equal(textContent(byName(svg, 'title')[0]!), title.replace('\u0000', ''), '<title> holds the text as given, minus the NUL XML forbids')
  t.ok(byName(svg, 'text').some((e) => textContent(e).startsWith('</title><script>')), 'the visible heading too')
  t.ok(byName(svg, 'text').some((e) => textContent(e) === '<b>&</b>'), 'point labels are escaped')
})

t.test('no points: a friendly empty state', async (t) => {
  const svg = parseXml(abilityHistoryChart({ title: 'Nothing yet', points: [] }))
  assertAccessibleSvg(t, svg, 640, 360)
  t.equal(byClass(svg, 'point').length, 0)
  t.equal(byClass(svg, 'empty-state').length, 1)
  t.ok(byName(svg, 'text').some((e) => textContent(e) === 'No ability estimates yet'))
  t.match(textContent(byName(svg, 'desc')[0]!), /no ability estimates yet/)
})

t.test('one point: an error bar instead of a band', async (t) => {
  const svg = parseXml(abilityHistoryChart({ title: 'one', points: [{ at: '2024-09-02', theta: 1, se: 0.5 }] }))
  t.equal(byClass(svg, 'band').length, 0)
  const bar = byClass(svg, 'error-bar')[0]!
  const stem = bar.children[0] as XmlElement
  const cy = num(byClass(svg, 'point')[0]!, 'cy')
  t.ok(num(stem, 'y1') < cy && num(stem, 'y2') > cy, 'the bar spans the estimate')
  t.ok(Math.abs((cy - num(stem, 'y1')) - (num(stem, 'y2') - cy)) < 0.02, 'symmetric')
  t.match(textContent(byName(svg, 'desc')[0]!), /1 ability estimate on 2024-09-02/)
})

t.test('a huge SE is cut at theta +- 6 instead of flattening the chart', async (t) => {
  const svg = parseXml(abilityHistoryChart({
    title: 'wide',
    points: [{ at: '2024-01-01', theta: 0, se: 50 }, { at: '2024-02-01', theta: 0.5, se: 0.3 }]
  }))
  const labels = byClass(svg, 'y-axis')[0]!.children.filter((c): c is XmlElement => typeof c !== 'string' && c.name === 'text').map((e) => Number(textContent(e).replace('−', '-')))
  t.same(labels, [-6, -4, -2, 0, 2, 4, 6])
})

t.test('deterministic: the same data renders the same bytes, Date or ISO string alike', async (t) => {
  const points = history()
  const a = abilityHistoryChart({ title: 'same', points })
  const b = abilityHistoryChart({ title: 'same', points: points.map((p) => ({ ...p, at: new Date(p.at).toISOString() })) })
  t.equal(a, b)
  t.not(a, abilityHistoryChart({ title: 'other', points }), 'a different title changes the output')
})

t.test('width and height set the viewBox', async (t) => {
  const svg = parseXml(abilityHistoryChart({ title: 's', points: history(), width: 800, height: 300 }))
  assertAccessibleSvg(t, svg, 800, 300)
  const xs = byClass(svg, 'point').map((c) => num(c, 'cx'))
  t.ok(Math.max(...xs) < 800 && Math.min(...xs) > 0)
})

t.test('invalid points are rejected with CHARTS_INVALID_INPUT', async (t) => {
  const at = '2024-01-01'
  for (const bad of [{ at: 'not a date', theta: 0, se: 1 }, { at, theta: NaN, se: 1 }, { at, theta: 0, se: -1 }, { at, theta: 0, se: Infinity }]) {
    t.throws(() => abilityHistoryChart({ title: 'x', points: [bad] }), { code: 'CHARTS_INVALID_INPUT' })
  }
  t.throws(() => abilityHistoryChart({ title: 'x', points: [], width: 10 }), ChartInputError)
  t.throws(() => abilityHistoryChart({ title: 'x', points: [{ at: new Date(NaN), theta: 0, se: 1 }] }), ChartInputError)
})

t.test('on a reporting scale: the axis, tooltips, legend and description name the scale; its range is always shown; no zero line', async (t) => {
  const scale = { axisLabel: 'Scale score', name: 'score', shown: [170, 230], bandLimits: [140, 260], decimals: 1 } as const
  const output = abilityHistoryChart({ title: 'rit', scale, points: [{ at: '2024-09-02', theta: 207.5, se: 3 }, { at: '2024-10-02', theta: 215, se: 50 }] })
  const svg = parseXml(output)
  t.match(output, />Scale score</)
  t.notMatch(output, /θ/, 'no θ anywhere')
  t.match(output, /2024-09-02: score = 207\.5 \(95% interval 201\.6 to 213\.4\)/, '207.5 ± 1.96·3')
  t.match(output, /95% interval \(score ± 1\.96 SE\)/, 'the legend')
  t.match(output, /latest score = 215\.0 .*a change of \+7\.5 since the first/)
  const narrow = abilityHistoryChart({ title: 'rit', scale, points: [{ at: '2024-09-02', theta: 207.5, se: 3 }] })
  t.match(narrow, />170</, 'θ\'s −3..3 on the scale is always shown: 170 …')
  t.match(narrow, />230</, '… to 230')
  t.match(output, />260</, 'a wide band is cut at the band limit, and the axis stops there')
  t.notMatch(output, />280</, 'not beyond it (215 + 98 would be 313)')
  t.equal(byClass(svg, 'zero-line').length, 0, 'no zero line on a scale')
  t.equal(byClass(parseXml(abilityHistoryChart({ title: 'theta', points: history() })), 'zero-line').length, 1, 'θ keeps its zero line')
  for (const bad of [{ ...scale, shown: [230, 170] }, { ...scale, bandLimits: [1, Number.NaN] }, { ...scale, decimals: 7 }] as const) {
    t.throws(() => abilityHistoryChart({ title: 'x', scale: bad, points: [] }), { code: 'CHARTS_INVALID_INPUT' })
  }
})
