// The shared pieces: escaping, number formatting, ticks, and the test's own XML parser
// (which must reject malformed documents, or the chart tests would prove nothing).
import t from 'tap'
import { escapeXml } from '../src/index.js'
import { label } from '../src/svg.js'
import { coveringTicks, niceTicks, timeTicks } from '../src/scale.js'
import { parseXml, textContent } from './xml.js'

t.test('the test parser rejects what is not well-formed XML', async (t) => {
  for (const bad of ['<a><b></a>', '<a x="<"/>', '<a>&</a>', '<a>&bogus;</a>', '<a x="1" x="2"/>', '<a>', '<a/><b/>', '<a x=1/>', '<a>\u0001</a>', '<a y="1"z="2"/>']) {
    t.throws(() => parseXml(bad), bad)
  }
  const ok = parseXml('<?xml version="1.0"?><a k="&lt;&amp;&quot;&apos;&gt;"><!-- c --><b>x &#60; &#x3e;</b></a>')
  t.equal(ok.attributes.k, '<&"\'>')
  t.equal(textContent(ok), 'x < >')
})

t.test('escapeXml escapes the five special characters and drops characters XML forbids', async (t) => {
  t.equal(escapeXml('a & b < c > d " e \' f'), 'a &amp; b &lt; c &gt; d &quot; e &apos; f')
  t.equal(escapeXml('&amp;'), '&amp;amp;', 'already-escaped text is escaped again, not trusted')
  t.equal(escapeXml('bell\u0007 nul\u0000 tab\t ok'), 'bell nul tab\t ok')
  t.equal(escapeXml('lone \uD800 surrogate, pair \uD83D\uDE00'), 'lone  surrogate, pair \uD83D\uDE00')
})

t.test('labels use a true minus sign and never show -0', async (t) => {
  t.equal(label(-1.5), '\u22121.50')
  t.equal(label(-0.001), '0.00')
  t.equal(label(2, 0), '2')
})

t.test('coveringTicks adds a step at an end the range passes, and none where a tick meets it', async (t) => {
  // 6.3 / 6 = 1.05 → a step of 2: ticks −2, 0, 2 inside, then −4 and 4 for the ends they leave out
  t.same(coveringTicks(-3.4, 2.9, 6, [1, 2, 5, 10]), { ticks: [-4, -2, 0, 2, 4], step: 2 }, 'a step added at each end')
  t.same(coveringTicks(170, 230, 6), { ticks: [170, 180, 190, 200, 210, 220, 230], step: 10 }, 'ends on ticks: nothing added')
  t.same(coveringTicks(1, 1, 4), { ticks: [1], step: 1 }, 'a single value')
})

t.test('niceTicks gives round steps that cover the range', async (t) => {
  t.same(niceTicks(-3, 3, 6), [-3, -2, -1, 0, 1, 2, 3])
  t.same(niceTicks(0, 97, 5), [0, 20, 40, 60, 80])
  t.same(niceTicks(-0.3, 0.3, 6), [-0.3, -0.2, -0.1, 0, 0.1, 0.2, 0.3])
})

t.test('timeTicks are calendar aligned in UTC', async (t) => {
  const months = timeTicks(Date.UTC(2024, 8, 2), Date.UTC(2025, 0, 15), 6)
  t.same(months.map((m) => m.label), ['Oct 2024', 'Nov 2024', 'Dec 2024', 'Jan 2025'])
  t.ok(months.every((m) => new Date(m.at).getUTCDate() === 1 && new Date(m.at).getUTCHours() === 0), 'first of the month, midnight UTC')
  const weeks = timeTicks(Date.UTC(2024, 2, 1), Date.UTC(2024, 2, 29), 5)
  t.ok(weeks.every((w) => new Date(w.at).getUTCDay() === 1), 'weekly ticks fall on Mondays')
  t.same(weeks.map((w) => w.label), ['4 Mar 2024', '11 Mar 2024', '18 Mar 2024', '25 Mar 2024'])
  const hours = timeTicks(Date.UTC(2024, 2, 1, 8), Date.UTC(2024, 2, 1, 20), 4)
  t.same(hours.map((h) => h.label), ['1 Mar 09:00', '1 Mar 12:00', '1 Mar 15:00', '1 Mar 18:00'])
  const years = timeTicks(Date.UTC(2015, 5, 1), Date.UTC(2024, 5, 1), 6)
  t.same(years.map((y) => y.label), ['2016', '2018', '2020', '2022', '2024'])
})
