// Scenarios 3 and 4 on the exam service: an authenticated read beside the same read without a token, and a
// student's answer (which returns the next item) beside one Postgres insert.
import type { Platform } from '../platform.js'
import { fromLoad, ratioOf, type Row } from '../report.js'
import type { School } from '../school.js'
import { measurePair } from '../measure.js'
import { createCpuSplit, describeSplit } from '../cpu-split.js'

type Log = (line: string) => void
export const STUDENTS = 50

export async function authenticatedRead (p: Platform, school: School, log: Log): Promise<Row> {
  log('3 authenticated GET /exam/exams')
  const tokens = school.students.map((s) => s.token)
  const { measured, baseline } = await measurePair(p,
    { name: 'exam-list', url: p.exam.url, connections: STUDENTS, profile: { kind: 'get', paths: ['/exam/exams'], tokens } },
    { name: 'bare-list', url: p.baseline.url, connections: STUDENTS, profile: { kind: 'get', paths: school.students.map((s) => `/bare/exams?student=${s.userId}`) } }, log)
  const m = fromLoad(measured)
  const b = fromLoad(baseline)
  const ratio = ratioOf(m, b)
  return {
    id: '3',
    scenario: `authenticated GET /exam/exams (${STUDENTS} conn)`,
    measured: m,
    baselineName: 'same select, no token',
    baseline: b,
    ratio,
    target: { text: 'ratio ≥ 0.8', met: ratio !== null && ratio >= 0.8 },
    notes: [`${school.students.length} students' tokens in turn (EdDSA verification with auth's JWKS, Redis revocation MGET); the bare route runs exam's assigned-exams select through drizzle`]
  }
}

/** Not a target: what the kit's token check costs on a route that does nothing else. */
export async function tokenOnly (p: Platform, school: School, log: Log): Promise<Row> {
  log('3i token check on an empty route')
  const tokens = school.students.map((s) => s.token)
  const { measured, baseline } = await measurePair(p,
    { name: 'whoami', url: p.baseline.url, connections: STUDENTS, profile: { kind: 'get', paths: ['/bare/whoami'], tokens } },
    { name: 'ping', url: p.baseline.url, connections: STUDENTS, profile: { kind: 'get', paths: ['/bare/ping'] } }, log)
  const m = fromLoad(measured)
  const b = fromLoad(baseline)
  return {
    id: '3i',
    scenario: `token check alone, empty route (${STUDENTS} conn)`,
    measured: m,
    baselineName: 'empty route',
    baseline: b,
    ratio: ratioOf(m, b),
    target: null,
    notes: [`per-request cost of the kit's authentication: ${m.throughput > 0 && b.throughput > 0 ? `${((1 / m.throughput - 1 / b.throughput) * 1e6).toFixed(0)} µs of server time` : 'n/a'} (1/throughput difference, all cores)`]
  }
}

export async function answerNext (p: Platform, school: School, log: Log): Promise<Row> {
  const o = p.options
  log(`4 answer → next item, ${STUDENTS} students, ${o.bankSize}-item bank`)
  const split = createCpuSplit(p, { measured: { opsUrl: p.exam.opsUrl, route: '/exam/', prefix: true }, baseline: { opsUrl: p.baseline.opsUrl, route: '/bare/', prefix: true } })
  const { measured, baseline } = await measurePair(p,
    { name: 'answer', url: p.exam.url, connections: STUDENTS, profile: { kind: 'answer', students: school.students, examIds: school.examIds } },
    { name: 'insert', url: p.baseline.url, connections: STUDENTS, profile: { kind: 'insert', path: '/bare/insert' } }, log, { observe: split.observe })
  const m = fromLoad(measured)
  const b = fromLoad(baseline)
  const ratio = ratioOf(m, b)
  const starts = measured.extra?.sessionStarts ?? 0
  return {
    id: '4',
    scenario: `answer → next item (${STUDENTS} students)`,
    measured: m,
    baselineName: '1 Postgres insert',
    baseline: b,
    ratio,
    target: { text: 'ratio ≥ 0.35, p99 < 40 ms', met: ratio !== null && ratio >= 0.35 && m.p99 < 40 },
    notes: [`${o.bankSize} active items; adaptive exams of ${school.examIds.length} × up to 200 items; ${starts} session starts or resumes, warm-ups included (each round begins with a resume; a finished session moves on to the next exam)`, `answers: ${describeSplit(split.split.measured)}`, `insert: ${describeSplit(split.split.baseline)}`]
  }
}

/** Not a target: one insert through drizzle's db.execute (how the services write) beside the same insert prepared. */
export async function drizzleInsert (p: Platform, log: Log): Promise<Row> {
  log('4i one insert through drizzle beside the same insert prepared')
  const { measured, baseline } = await measurePair(p,
    { name: 'insert-drizzle', url: p.baseline.url, connections: STUDENTS, profile: { kind: 'insert', path: '/bare/insert-drizzle' } },
    { name: 'insert', url: p.baseline.url, connections: STUDENTS, profile: { kind: 'insert', path: '/bare/insert' } }, log)
  const m = fromLoad(measured)
  const b = fromLoad(baseline)
  return {
    id: '4i',
    scenario: `1 insert via drizzle db.execute (${STUDENTS} conn)`,
    measured: m,
    baselineName: '1 insert, prepared',
    baseline: b,
    ratio: ratioOf(m, b),
    target: null,
    notes: ['drizzle runs statements through postgres.js unsafe() unprepared: with parameters, postgres.js sends Describe and waits for its answer before Bind/Execute, a second round trip holding a pool connection']
  }
}
