// Scenario 5, analytics reads: cached ones against a bare route doing one Redis GET (target ≥ 0.7), an
// uncached one against a bare route doing one Postgres select; and 6c, analytics' ingest rate of
// exam.response.recorded against a bare JetStream consume-and-ack loop over as many messages.
import { randomUUID } from 'node:crypto'
import { jetstreamManager } from '@nats-io/jetstream'
import { addStream, examResponseRecordedV1, newEnvelope, publishEnvelope, STREAMS, streamConfig, type Envelope, type ExamResponseRecordedV1 } from '@dreamseed/events'
import type { Platform } from '../platform.js'
import { call, expectStatus, poll, postJson } from '../http.js'
import { measurePair } from '../measure.js'
import { fromLoad, ratioOf, type Measure, type Row } from '../report.js'
import type { School } from '../school.js'
import { consumerBacklog, settle } from '../settle.js'
import { rateOf } from './events.js'
import { rawPrefix, rawStreamName } from './raw-stream.js'
import { STUDENTS } from './exam.js'

type Log = (line: string) => void

/** Short exams every student completes before scenario 5, so analytics has sessions, abilities and trends. */
const ANALYTICS_EXAMS = 2
/** student-progress accepts days 1–366: with 50 students, that many distinct cache keys per version. */
const MAX_DAYS = 366

interface Step { session: { id: string }, item: { id: string, options: string[] } | null }

export interface AnalyticsData { examIds: string[], sessions: number, responses: number }

/**
 * Every student completes ANALYTICS_EXAMS short adaptive exams (through exam's real routes), then the bench
 * waits until analytics has applied every event (its consumers have nothing pending) and its classroom
 * report counts every completion.
 */
export async function setUpAnalytics (p: Platform, school: School, log: Log): Promise<AnalyticsData> {
  const exam = p.exam.url
  const maxItems = p.options.short ? 5 : 10
  const examIds: string[] = []
  for (let i = 0; i < ANALYTICS_EXAMS; i++) {
    const created = expectStatus<{ id: string }>(await postJson(exam, '/exam/exams', { title: `Bench analytics exam ${i}`, kind: 'adaptive', subject: 'math', estimator: 'EAP', startTheta: 0, randomesque: 2, stopping: { maxItems } }, school.teacherToken), 201, 'create exam')
    expectStatus(await call(exam, 'PUT', `/exam/exams/${created.id}/classrooms/${school.classroomId}`, { token: school.teacherToken }), 204, 'assign exam')
    examIds.push(created.id)
  }
  const t0 = Date.now()
  let answers = 0
  await Promise.all(school.students.map(async (student) => {
    for (const examId of examIds) {
      let step = expectStatus<Step>(await call(exam, 'POST', `/exam/exams/${examId}/sessions`, { token: student.token }), 201, 'start session')
      while (step.item !== null) {
        const optionIndex = Math.floor(Math.random() * step.item.options.length)
        step = expectStatus<Step>(await postJson(exam, `/exam/sessions/${step.session.id}/answers`, { itemId: step.item.id, optionIndex, timeTakenMs: 1000 + Math.floor(Math.random() * 4000) }, student.token), 200, 'answer')
        answers++
      }
    }
  }))
  log(`  ${school.students.length} students completed ${examIds.length} exams of ${maxItems} items (${answers} answers) in ${((Date.now() - t0) / 1000).toFixed(1)} s`)
  const t1 = Date.now()
  await settle(p, log, 300_000)
  await poll(async () => {
    const summary = (await call(p.analytics.url, 'GET', `/analytics/classrooms/${school.classroomId}`, { token: school.teacherToken })).body as { classroom?: { students: number }, exams?: Array<{ examId: string, completedBy: number }> }
    const done = examIds.every((id) => summary.exams?.find((e) => e.examId === id)?.completedBy === school.students.length)
    return summary.classroom?.students === school.students.length && done
  }, 'analytics to apply every completion', 120_000)
  const [counts] = await p.sql<Array<{ sessions: number, responses: number }>>`select
    (select count(*)::int from analytics.sessions where organization_id = ${school.organizationId} and completed_at is not null) as sessions,
    (select count(*)::int from analytics.responses where organization_id = ${school.organizationId}) as responses`
  log(`  analytics applied them in ${((Date.now() - t1) / 1000).toFixed(1)} s: ${counts!.sessions} completed sessions, ${counts!.responses} responses in the organization`)
  return { examIds, sessions: counts!.sessions, responses: counts!.responses }
}

/** analytics' cache counters (hits, misses) for one route, read from its /metrics. */
async function cacheCounters (p: Platform, route: string): Promise<{ hits: number, misses: number }> {
  const text = await (await fetch(`${p.analytics.opsUrl}/metrics`)).text()
  const sum = (name: string): number => text.split('\n')
    .filter((l) => l.startsWith(`${name}{`) && l.includes(`route="${route}"`))
    .reduce((a, l) => a + Number(l.slice(l.lastIndexOf(' ') + 1)), 0)
  return { hits: sum('analytics_cache_hits_total'), misses: sum('analytics_cache_misses_total') }
}

async function counting<T> (p: Platform, route: string, fn: () => Promise<T>): Promise<{ value: T, hits: number, misses: number }> {
  const before = await cacheCounters(p, route)
  const value = await fn()
  const after = await cacheCounters(p, route)
  return { value, hits: after.hits - before.hits, misses: after.misses - before.misses }
}

/** Stores a real answer of an analytics route under a bench key, for the bare Redis GET to send back. */
async function storeAnswer (p: Platform, key: string, answer: unknown): Promise<string> {
  expectStatus(await postJson(p.baseline.url, '/bare/redis-set', { key, value: JSON.stringify(answer), ttlSeconds: 3600 }), 204, 'store the answer in Redis')
  return `/bare/redis-get?key=${encodeURIComponent(key)}`
}

/**
 * Makes every cached answer of the organization stale the way analytics does it: an event for the
 * organization (a response of a student and exam of its own, which no report of the school shows) makes
 * analytics give the organization a new cache version once applied.
 */
async function bumpCacheVersion (p: Platform, organizationId: string): Promise<void> {
  const envelope = responseEnvelope({ organizationId, examId: randomUUID(), sessionId: randomUUID(), studentId: randomUUID(), itemId: randomUUID(), position: 0 })
  await publishEnvelope(p.nats, p.options.eventsPrefix, envelope)
  await poll(async () => (await p.sql`select 1 from analytics.inbox where event_id = ${envelope.id}`).length > 0, 'analytics to apply the version bump', 60_000)
}

const cacheNote = (c: { hits: number, misses: number }): string =>
  `analytics' cache over both sides' runs, warm-ups included: ${c.hits} hits, ${c.misses} misses (its /metrics)`

export async function analyticsReads (p: Platform, school: School, wanted: (id: string) => boolean, log: Log): Promise<Row[]> {
  log('5 analytics: students complete short exams; waiting for analytics to apply them')
  const data = await setUpAnalytics(p, school, log)
  const rows: Row[] = []
  const dataNote = `${school.students.length} students, ${data.sessions} completed sessions and ${data.responses} responses in the organization`

  if (wanted('5a')) {
    log('5a cached GET /analytics/classrooms/:id as the teacher')
    const path = `/analytics/classrooms/${school.classroomId}`
    const answer = expectStatus<unknown>(await call(p.analytics.url, 'GET', path, { token: school.teacherToken }), 200, 'classroom summary')
    const bare = await storeAnswer(p, `${p.options.eventsPrefix}:bench:classroom-summary`, answer)
    const { value: { measured, baseline }, ...cache } = await counting(p, 'classroom-summary', async () => await measurePair(p,
      { name: 'analytics-classroom', url: p.analytics.url, connections: STUDENTS, profile: { kind: 'get', paths: [path], tokens: [school.teacherToken] } },
      { name: 'redis-get', url: p.baseline.url, connections: STUDENTS, profile: { kind: 'get', paths: [bare] } }, log))
    rows.push(cachedRow('5a', `cached classroom summary, teacher (${STUDENTS} conn)`, fromLoad(measured), fromLoad(baseline), cache, [
      `the classroom's teacher's token on every request (EdDSA check, Redis revocation MGET), the rate limit's count in Redis, then the cache: one script call (EVALSHA) reading the organization's version and the answer under it (${JSON.stringify(answer).length} bytes), sent as stored with only its access facts parsed; the bare route GETs the same answer from Redis and sends it as it is; ${dataNote}`,
      cacheNote(cache)
    ]))
  }

  if (wanted('5b')) {
    log('5b cached GET /analytics/students/:id, each student their own')
    const answer = expectStatus<unknown>(await call(p.analytics.url, 'GET', `/analytics/students/${school.students[0]!.userId}`, { token: school.students[0]!.token }), 200, 'student progress')
    // Every student's answer in the cache before the measurement.
    await Promise.all(school.students.map(async (s) => expectStatus(await call(p.analytics.url, 'GET', `/analytics/students/${s.userId}`, { token: s.token }), 200, 'student progress')))
    const bare = await storeAnswer(p, `${p.options.eventsPrefix}:bench:student-progress`, answer)
    const { value: { measured, baseline }, ...cache } = await counting(p, 'student-progress', async () => await measurePair(p,
      { name: 'analytics-student', url: p.analytics.url, connections: STUDENTS, profile: { kind: 'get', paths: school.students.map((s) => `/analytics/students/${s.userId}`), tokens: school.students.map((s) => s.token) } },
      { name: 'redis-get', url: p.baseline.url, connections: STUDENTS, profile: { kind: 'get', paths: [bare] } }, log))
    rows.push(cachedRow('5b', `cached student progress, own (${STUDENTS} conn)`, fromLoad(measured), fromLoad(baseline), cache, [
      `${school.students.length} students' tokens in turn, each reading their own progress (days=90); the bare route GETs one such answer (${JSON.stringify(answer).length} bytes) from Redis and sends it as it is`,
      cacheNote(cache)
    ]))
  }

  if (wanted('5c')) {
    log('5c uncached GET /analytics/students/:id?days=… (every read a key not cached)')
    // Student-progress answers are cached per (student, days): each request asks for a pair not read under the
    // organization's current cache version, and the version is bumped (by an event, as analytics does it)
    // before each measured round, so every read misses and runs the route's three selects.
    const paths: string[] = []
    for (let days = 1; days <= MAX_DAYS; days++) for (const s of school.students) paths.push(`/analytics/students/${s.userId}?days=${days}`)
    const tokens = school.students.map((s) => s.token)
    const { value: { measured, baseline }, ...cache } = await counting(p, 'student-progress', async () => await measurePair(p,
      { name: 'analytics-student-uncached', url: p.analytics.url, connections: STUDENTS, profile: { kind: 'get', paths, tokens } },
      { name: 'select', url: p.baseline.url, connections: STUDENTS, profile: { kind: 'get', paths: school.students.map((s) => `/bare/student-head?student=${s.userId}`) } },
      log, { beforeMeasured: async () => { await bumpCacheVersion(p, school.organizationId) } }))
    const m = fromLoad(measured)
    const b = fromLoad(baseline)
    rows.push({
      id: '5c',
      scenario: `uncached student progress (${STUDENTS} conn)`,
      measured: m,
      baselineName: '1 Postgres select',
      baseline: b,
      ratio: ratioOf(m, b),
      target: null,
      counts: { cacheHits: cache.hits, cacheMisses: cache.misses },
      notes: [
        `each request a (student, days) pair not yet read under the organization's cache version (${MAX_DAYS} days × ${school.students.length} students; the version bumped by an event before each round), so each misses: token check, rate limit, the cache's read (one EVALSHA), the route's three selects through drizzle (its access lookup, the totals with the days, the history), the SET of the answer; the bare route runs one select of the access facts and the totals the same way`,
        cacheNote(cache)
      ]
    })
  }
  return rows
}

function cachedRow (id: string, scenario: string, m: Measure, b: Measure, cache: { hits: number, misses: number }, notes: string[]): Row {
  const ratio = ratioOf(m, b)
  return {
    id,
    scenario,
    measured: m,
    baselineName: '1 Redis GET',
    baseline: b,
    ratio,
    target: { text: 'ratio ≥ 0.7', met: ratio !== null && ratio >= 0.7 },
    counts: { cacheHits: cache.hits, cacheMisses: cache.misses },
    notes
  }
}

export function responseEnvelope (d: { organizationId: string, examId: string, sessionId: string, studentId: string, itemId: string, position: number }): Envelope<ExamResponseRecordedV1> {
  const now = new Date().toISOString()
  return newEnvelope(examResponseRecordedV1, {
    ...d,
    correct: d.position % 3 !== 0,
    pretest: false,
    thetaAfter: Math.sin(d.position) / 2,
    seAfter: 1 / Math.sqrt(d.position + 1),
    timeTakenMs: 1000 + (d.position % 7) * 300,
    servedAt: now,
    answeredAt: now
  })
}

/** n valid responses of an organization of their own: 50 students answering in turn, each in one session. */
function syntheticResponses (n: number): Array<Envelope<ExamResponseRecordedV1>> {
  const organizationId = randomUUID()
  const examId = randomUUID()
  const sessions = Array.from({ length: STUDENTS }, () => ({ sessionId: randomUUID(), studentId: randomUUID() }))
  const items = Array.from({ length: 200 }, () => randomUUID())
  return Array.from({ length: n }, (_, i) => responseEnvelope({ organizationId, examId, ...sessions[i % sessions.length]!, itemId: items[(i * 7) % items.length]!, position: Math.floor(i / sessions.length) }))
}

/** Publishes from the bench's own connection, 256 acks awaited at a time. */
async function publishAll (p: Platform, prefix: string, envelopes: Envelope[]): Promise<void> {
  for (let i = 0; i < envelopes.length; i += 256) await Promise.all(envelopes.slice(i, i + 256).map(async (e) => await publishEnvelope(p.nats, prefix, e)))
}

export async function ingestRate (p: Platform, log: Log): Promise<Row> {
  const n = p.options.ingestEvents
  log(`6c analytics ingest of exam.response.recorded vs a raw consume-and-ack loop, ${n} events each`)
  const exams = STREAMS.find((s) => s.name === 'EXAMS')!
  await settle(p, log)

  // analytics, on the bench's streams: its exam consumer is idle (settled) when the events arrive.
  const ingested = syntheticResponses(n)
  const ids = ingested.map((e) => e.id)
  const t0 = performance.now()
  await publishAll(p, p.options.eventsPrefix, ingested)
  const publishedMs = performance.now() - t0
  const deadline = Date.now() + 180_000
  let applied: Array<{ at: number }> = []
  for (;;) {
    if (await consumerBacklog(p, 'EXAMS', 'analytics-exams') === 0) {
      applied = await p.sql<Array<{ at: number }>>`select extract(epoch from applied_at)::float8 * 1000 as at from analytics.inbox where event_id in ${p.sql(ids)} order by applied_at`
      if (applied.length >= n) break
    }
    if (Date.now() > deadline) { log(`  analytics applied only ${applied.length} of ${n}`); break }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  const drainedMs = performance.now() - t0
  const measured = rateOf(applied.map((r) => r.at), 'msg/s', n - applied.length)

  // The bare loop on a fresh prefix and stream, declared as the EXAMS stream is: started first, like
  // analytics' consumer, then handed the same number of envelopes the same way.
  const prefix = rawPrefix(p.options.eventsPrefix)
  const stream = rawStreamName(p.options.eventsPrefix)
  const jsm = await jetstreamManager(p.nats)
  await jsm.streams.delete(stream).catch(() => false)
  await addStream(jsm, streamConfig(prefix, exams, { maxBytes: 256 * 1024 * 1024 }))
  try {
    await settle(p, log)
    const durable = 'bench-raw-consumer'
    const consumed = postJson(p.baseline.url, '/bare/consume', { stream, durable, n, timeoutMs: 180_000 })
    await poll(async () => await jsm.consumers.info(stream, durable).then(() => true, () => false), 'the raw consumer')
    await publishAll(p, prefix, syntheticResponses(n))
    const answer = expectStatus<{ acked: number, bad: number, times: number[] }>(await consumed, 200, 'raw consume')
    const raw = rateOf(answer.times, 'msg/s', n - answer.acked + answer.bad)
    return {
      id: '6c',
      scenario: 'analytics ingest of exam.response.recorded',
      measured,
      baselineName: 'raw JetStream consume + ack',
      baseline: raw,
      ratio: ratioOf(measured, raw),
      target: null,
      notes: [
        `${n} valid envelopes of one synthetic organization (${STUDENTS} students in turn, one session each), published 256 in flight by the bench to the EXAMS stream while analytics' exam consumer idles, and to a fresh stream of the same declaration (prefix ${prefix}) for a bare consumer in the baseline process with analytics' consumer settings (8 at once, 16 pulled, explicit acks); rate from analytics.inbox's applied_at (first to last) and from the bare loop's ack times; latency columns are the gaps between consecutive ones`,
        `analytics: the events that have arrived when a batch begins (up to 64, one batch at a time) go in one transaction (one multi-row statement each for the inbox rows, exams, sessions, items and responses), then one Redis SET of the organizations' cache versions; applied_at is the transaction's start, so the last batch's own time is outside the span; publishing took ${(publishedMs / 1000).toFixed(2)} s and analytics had applied all ${applied.length} ${(drainedMs / 1000).toFixed(2)} s after the first publish`
      ]
    }
  } finally {
    await jsm.streams.delete(stream).catch(() => false)
  }
}
