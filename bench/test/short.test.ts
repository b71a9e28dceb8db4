// The bench in its short setting, end to end, so it cannot rot: every scenario runs against the real services
// and comes back whole. Timings are not asserted (a shared 2-core machine makes them noise); structure is.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import type { Report } from '../src/report.js'
import { CPU_COLUMNS } from '../src/capacity-table.js'

const SCENARIOS = ['1a', '1b', '2a', '2b', '3', '3i', '4', '4i', '4p', '5a', '5b', '5c', '6a', '6b', '6c', '6d', '6e', 'capacity']
const SERVICES = ['auth', 'exam', 'notification', 'analytics', 'baseline']

t.test('the short bench runs every scenario with no error and a finite ratio for each', async (t) => {
  const out = mkdtempSync(join(tmpdir(), 'ds-bench-'))
  t.teardown(() => rmSync(out, { recursive: true, force: true }))
  const main = fileURLToPath(new URL('../src/main.ts', import.meta.url))
  // Its own database and event namespace (dropped at the end), so it can run beside `pnpm bench` and the tests.
  const child = spawn(process.execPath, ['--conditions=dreamseed-source', '--import', 'tsx', main, '--short', `--out=${out}`], {
    // A 2 000-item bank: every imported item is an event analytics applies before the next measurement, and
    // 10 000 of them would add half a minute to a test that asserts no timing.
    env: { ...process.env, BENCH_ISOLATED: '1', BENCH_LOG_LEVEL: 'warn', BENCH_BANK_SIZE: '2000' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString('utf8') })
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString('utf8') })
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  t.equal(code, 0, `the bench exits cleanly:\n${output.slice(-3000)}`)
  if (code !== 0) return

  const report = JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8')) as Report
  t.same(report.rows.map((r) => r.id), SCENARIOS, 'every scenario, in order')
  // The capacity row has no floor beside it (its own table below holds the steps): checked apart.
  for (const row of report.rows.filter((r) => r.id !== 'capacity')) {
    t.equal(row.skipped, undefined, `${row.id} ran`)
    t.ok(row.measured !== null && row.baseline !== null, `${row.id} has a measurement and its baseline`)
    t.equal(row.measured!.errors, 0, `${row.id}: no error (${JSON.stringify(row.measured!.statuses ?? {})})`)
    t.equal(row.baseline!.errors, 0, `${row.id}: no error in the baseline (${JSON.stringify(row.baseline!.statuses ?? {})})`)
    t.ok(row.measured!.count > 0 && row.baseline!.count > 0, `${row.id}: both sides measured something`)
    t.ok(row.ratio !== null && Number.isFinite(row.ratio) && row.ratio > 0, `${row.id}: the ratio is a finite number (${row.ratio})`)
    for (const m of [row.measured!, row.baseline!]) {
      t.ok([m.throughput, m.p50, m.p95, m.p99].every(Number.isFinite), `${row.id}: throughput and percentiles are numbers`)
    }
    if (row.target !== null) t.type(row.target.met, 'boolean', `${row.id}: its target is marked met or missed`)
  }
  // What scenario 5 measured is what it says: cached reads hit analytics' cache, the uncached ones never do.
  const cache = (id: string): Record<string, number> => report.rows.find((r) => r.id === id)?.counts ?? {}
  for (const id of ['5a', '5b']) t.ok((cache(id).cacheHits ?? 0) > 0, `${id}: served from analytics' cache (${JSON.stringify(cache(id))})`)
  t.equal(cache('5c').cacheHits, 0, `5c: no read hit analytics' cache (${JSON.stringify(cache('5c'))})`)
  t.ok((cache('5c').cacheMisses ?? 0) > 0, '5c: every read computed its answer')
  // 6d saw every completion in the teacher's summary and chart (none late), under other events.
  t.same([cache('6d').late, cache('6d').samples], [0, report.rows.find((r) => r.id === '6d')?.measured?.count], '6d: every completion seen by the teacher')
  t.ok((cache('6d').backgroundEvents ?? 0) > 0, '6d: other events arrived meanwhile')
  // 4p: through the proxy every exam replica answered, and the first alone on the other side; the proxy named the
  // replica of every answer counted.
  const row4p = report.rows.find((r) => r.id === '4p')
  const served = (side: string): Array<[string, number]> => Object.entries(cache('4p')).filter(([k]) => k.startsWith(`${side}.`)).sort(([a], [b]) => a.localeCompare(b))
  t.same(served('replicas').map(([k]) => k), ['replicas.exam-1', 'replicas.exam-2', 'replicas.exam-3'], `4p: the three replicas served answers (${JSON.stringify(cache('4p'))})`)
  t.ok(served('replicas').every(([, n]) => n > 0), '4p: each replica a share')
  t.equal(served('replicas').reduce((a, [, n]) => a + n, 0), row4p?.measured?.count, '4p: every answer of the three replicas\' side named its replica')
  t.same(served('alone'), [['alone.exam-1', row4p?.baseline?.count]], '4p: the other side\'s answers all came from the first replica')
  // 6e's two replicas both published: they shared the outbox.
  t.ok((cache('6e').firstReplica ?? 0) > 0 && (cache('6e').secondReplica ?? 0) > 0, `6e: both replicas published (${JSON.stringify(cache('6e'))})`)
  // capacity: both short steps ran (a few hundred students at most), each with answers, session starts, teacher
  // reads and freshness probes, no error and no stale probe; its figure is a step's size or explicitly none.
  const capacity = report.capacity
  t.ok(capacity !== undefined, 'the capacity steps are in the report')
  if (capacity !== undefined) {
    t.ok(capacity.steps.length > 0, `capacity: at least one step ran (${capacity.figureText})`)
    for (const step of capacity.steps) {
      t.ok(step.students > 0 && step.teachers > 0, `capacity ${step.students}: students and teachers active`)
      t.ok(step.answersPerS > 0 && step.sessionsStarted >= step.students && step.readsPerS > 0, `capacity ${step.students}: answers, a session started by every student, teacher reads`)
      t.ok(step.probes > 0, `capacity ${step.students}: freshness probed`)
      t.same([step.errors, step.stale], [0, 0], `capacity ${step.students}: no error, no stale probe (${JSON.stringify(step.statuses)})`)
      t.ok([step.answerP99, step.freshnessP99, step.lagP99, ...Object.values(step.cpu)].every(Number.isFinite), `capacity ${step.students}: latencies, lag and CPU are numbers`)
      t.same(Object.keys(step.cpu).sort(), [...CPU_COLUMNS].sort(), `capacity ${step.students}: CPU of every process`)
    }
    if (capacity.figure === null) t.match(capacity.figureText, /^below the first step/, 'capacity: no figure says so')
    else t.ok(capacity.steps.some((s) => s.held && s.students === capacity.figure), `capacity: the figure (${capacity.figure}) is a step that held`)
    const row = report.rows.find((r) => r.id === 'capacity')
    t.ok((row?.measured?.count ?? 0) > 0, 'capacity: its row counts the answers of the step it shows')
  }
  t.same(report.memory.map((m) => m.process), SERVICES, 'the memory of every process')
  for (const m of report.memory) t.ok(m.rssBeforeMb > 0 && m.rssAfterMb > 0 && m.rssPeakMb >= m.rssAfterMb, `${m.process}: RSS before, after and peak`)
  t.match(output, /registration, saturation/, 'the table is printed')
})
