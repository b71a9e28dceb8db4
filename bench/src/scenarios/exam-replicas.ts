// Scenario 4p: scenario 4's load (students answering the item the last answer returned) through HAProxy in front
// of 3 exam replicas, beside the same proxy in front of one of them. Report only: on 2 cores more replicas add
// no CPU, so the ratio shows what replicas cost (event loops, pools and caches sharing the cores) and what
// spreading a student's answers over them costs, not how far exam scales.
import { cpus, loadavg } from 'node:os'
import { REPLICA_HEADER } from '@dreamseed/cluster'
import type { Platform } from '../platform.js'
import type { Profile } from '../load/jobs.js'
import { fromLoad, ratioOf, type Row } from '../report.js'
import type { School } from '../school.js'
import { measurePair } from '../measure.js'
import { settle } from '../settle.js'
import { startExamBehindProxy } from '../replicas/exam-behind-proxy.js'
import { createUsageMeter, type Usage } from '../replicas/usage-meter.js'
import { STUDENTS } from './exam.js'

type Log = (line: string) => void
const REPLICAS = 3

/** Who served how many, in the replicas' order, with each one's share. */
const shares = (servedBy: Record<string, number>): string => {
  const total = Object.values(servedBy).reduce((a, n) => a + n, 0)
  return Object.entries(servedBy).sort(([a], [b]) => a.localeCompare(b)).map(([name, n]) => `${name} ${n} (${(100 * n / Math.max(1, total)).toFixed(1)}%)`).join(', ')
}

const perRequest = (u: Usage, key: 'examCpuMs' | 'postgresCpuMs' | 'proxyCpuMs'): string => `${(1000 * u[key] / Math.max(1, u.requests)).toFixed(0)} µs`
const busy = (u: Usage): string => `${(100 * u.busyTicks / Math.max(1, u.allTicks)).toFixed(0)}%`

const prefixed = (prefix: string, counts: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)).map(([name, n]) => [`${prefix}.${name}`, n]))

/**
 * Load through the proxy until every replica has answered each student about once in a run: its bank loaded and
 * its answer path compiled before either side is measured. On a busy machine a replica's first bank load alone
 * can outlast one warm-up.
 */
async function warmUp (p: Platform, url: string, names: string[], profile: Profile, log: Log): Promise<{ runs: number, servedBy: Record<string, number> }> {
  await settle(p, log)
  for (let runs = 1; ; runs++) {
    const run = await p.load.run({ name: 'answer-replicas-warm-up', url, connections: STUDENTS, profile, warmupS: 0, durationS: Math.max(1, p.options.warmupS) })
    const servedBy = run.servedBy ?? {}
    log(`  warm-up through the proxy: ${shares(servedBy)}`)
    if (names.every((name) => (servedBy[name] ?? 0) >= STUDENTS)) return { runs, servedBy }
    if (runs === 10) throw new Error(`4p: after ${runs} warm-up runs a replica still answers too little: ${shares(servedBy)}`)
  }
}

export async function answerThroughReplicas (p: Platform, school: School, log: Log): Promise<Row> {
  log(`4p answer → next item through HAProxy, ${REPLICAS} exam replicas against 1`)
  const load = loadavg()[0]!
  const exam = await startExamBehindProxy(p, REPLICAS)
  try {
    const profile: Profile = { kind: 'answer', students: school.students, examIds: school.examIds, replicaHeader: REPLICA_HEADER }
    const warm = await warmUp(p, exam.allUrl, exam.replicas.map((r) => r.name), profile, log)
    const meter = createUsageMeter(p, exam.replicas.map((r) => r.opsUrl), exam.proxyPid)
    const { measured, baseline } = await measurePair(p,
      { name: 'answer-replicas', url: exam.allUrl, connections: STUDENTS, profile },
      { name: 'answer-replica', url: exam.firstUrl, connections: STUDENTS, profile }, log, { observe: meter.observe })
    const [u3, u1] = [meter.usage.measured, meter.usage.baseline]
    const m = fromLoad(measured)
    const b = fromLoad(baseline)
    const [all, alone] = [measured.servedBy ?? {}, baseline.servedBy ?? {}]
    const starts = (r: typeof measured): number => r.extra?.sessionStarts ?? 0
    return {
      id: '4p',
      scenario: `answer → next item, ${REPLICAS} exam replicas (proxy)`,
      measured: m,
      baselineName: '1 exam replica, same proxy',
      baseline: b,
      ratio: ratioOf(m, b),
      target: null,
      counts: { ...prefixed('replicas', all), ...prefixed('alone', alone) },
      notes: [
        `scenario 4's ${STUDENTS} students on the same school and bank, through HAProxy (tools/cluster's configuration: round robin per request, readiness checks every second) in front of ${REPLICAS} exam replicas, each exam's server.ts as a process of its own (createReplica: its own pool, session and bank caches, outbox relay) with the bench exam's database, prefix and settings (and TRUST_PROXY), against the same proxy in front of the first of them alone; the other replicas and the bench's own exam stay up, idle, meanwhile`,
        `2xx answers of the measured windows by the replica that served them (the proxy's ${REPLICA_HEADER} header; session starts included, as in the throughput): ${REPLICAS} replicas ${shares(all)}; 1 replica ${shares(alone)}`,
        `${starts(measured)} | ${starts(baseline)} session starts or resumes (${REPLICAS} replicas | 1), warm-ups included; before the first round, ${warm.runs} warm-up run(s) through the proxy, until every replica had answered ${STUDENTS} times in one (the last: ${shares(warm.servedBy)})`,
        `where the time went (${REPLICAS} replicas | 1), per request over each side's runs (warm-ups included: ${u3.requests} | ${u1.requests} requests the replicas counted): exam ${perRequest(u3, 'examCpuMs')} | ${perRequest(u1, 'examCpuMs')} CPU (the replicas' process_cpu_seconds_total); the Postgres backends of exam's pools ${perRequest(u3, 'postgresCpuMs')} | ${perRequest(u1, 'postgresCpuMs')}; HAProxy ${perRequest(u3, 'proxyCpuMs')} | ${perRequest(u1, 'proxyCpuMs')}; the machine's ${cpus().length} cores ${busy(u3)} | ${busy(u1)} busy during the runs (everything running, anything else too; load average ${load.toFixed(1)} at the start)`,
        'no target: on 2 cores more replicas add no CPU; the ratio holds what they cost, their event loops, pools and caches sharing the cores, and the spread: an answer mostly reaches a replica that did not serve the session\'s last one, whose memory of it is stale, so it reads the session again before its write (answer-item.ts), which a single replica never needs'
      ]
    }
  } finally {
    await exam.stop()
  }
}
