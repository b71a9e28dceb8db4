// Every end-to-end flow through the proxies, with each request of a client landing on whichever replica the
// proxy picks: registration to sign-in, a teacher's bank and adaptive exam, students taking it (their item
// sequences, θ and SE compared with the same students on a single replica), and item changes made through
// one replica seen by the others at their next request.
import t from 'tap'
import { connect } from '@nats-io/transport-node'
import { jetstreamManager } from '@nats-io/jetstream'
import { newEnvelope, newEventId, publishEnvelope, streamFor, userRegistrationRepeatedV1 } from '@dreamseed/events'
import { buildSchool, call, checkMixedInAnalytics, checkMixedRun, pool, runMixedExam, waitFor, type Student } from '@dreamseed/testing'
import type { Replica } from '@dreamseed/cluster'
import { FULL, servedBy, startTestCluster, type TestCluster } from './helper.js'

const STUDENTS = FULL ? 20 : 6

interface Taken {
  sessionId: string
  stems: string[]
  statuses: number[]
  replicas: Set<string>
  /** GET /current answered another item than the one the last answer gave. */
  staleReads: number
  result: { theta: number, se: number } | null
}

// A student's answer is a function of the item and the student alone, so the same student answers the same
// item the same way on any replica: correct unless (7i + s) % 3 is 0, for bank item "Question i" (key i % 4).
const optionFor = (stem: string, student: number): number => {
  const i = Number(/Question (\d+)/.exec(stem)?.[1])
  return (7 * i + student) % 3 === 0 ? (i + 1) % 4 : i % 4
}

/** Takes an exam to its end through `base`, reading the current item back after every answer. */
async function take (base: string, examId: string, token: string, student: number): Promise<Taken> {
  const started = await call(base, 'POST', `/exam/exams/${examId}/sessions`, token)
  const taken: Taken = { sessionId: started.body?.session?.id ?? '', stems: [], statuses: [started.status], replicas: new Set([servedBy(started.headers)]), staleReads: 0, result: null }
  let item = started.body?.item as { id: string, stem: string } | null
  while (item !== null && item !== undefined && taken.stems.length < 30) {
    taken.stems.push(item.stem)
    const step = await call(base, 'POST', `/exam/sessions/${taken.sessionId}/answers`, token, { itemId: item.id, optionIndex: optionFor(item.stem, student), timeTakenMs: 3000 })
    taken.statuses.push(step.status)
    taken.replicas.add(servedBy(step.headers))
    if (step.status !== 200) break
    item = step.body!.item
    taken.result = step.body!.result ?? null
    if (item === null) break
    // A client that reloads its page asks again: any replica must give the item just given.
    const current = await call(base, 'GET', `/exam/sessions/${taken.sessionId}/current`, token)
    taken.statuses.push(current.status)
    taken.replicas.add(servedBy(current.headers))
    if (current.body?.item?.id !== item.id) taken.staleReads++
  }
  return taken
}

/** θ and SE after each response, as a teacher reads them. */
async function trace (platform: TestCluster, teacher: string, sessionId: string): Promise<Array<[number, number]>> {
  const res = await call(platform.url('exam'), 'GET', `/exam/sessions/${sessionId}`, teacher)
  return (res.body!.responses as Array<{ thetaAfter: number, seAfter: number }>).map((r) => [r.thetaAfter, r.seAfter])
}

const platform = await startTestCluster(t)

t.test('through the proxies, with requests spread over the replicas, every flow works as on one replica', async (t) => {
  const exam = platform.cluster.replicas.exam

  // Registration → mail → verification → sign-in, a classroom, a bank, two identical adaptive exams.
  const school = await buildSchool(platform, { students: STUDENTS, exams: 2 })
  const [spreadExam, singleExam] = school.examIds as [string, string]
  await platform.waitForMailerIdle()
  t.same(school.students.filter((s) => platform.smtp.mailsTo(s.email).length !== 1), [], 'each registration got exactly one mail, through any replica')

  const spread = await pool(school.students, 4, async (s: Student, i) => await take(platform.url('exam'), spreadExam, s.token, i))
  // The same students on one replica alone (its own port, no proxy): the reference.
  const single = await pool(school.students, 4, async (s: Student, i) => await take(exam[0]!.url, singleExam, s.token, i))

  const refused = spread.flatMap((s) => s.statuses.filter((status) => status === 409))
  t.equal(refused.length, 0, 'no 409 for a client answering the item it was given')
  t.same(spread.flatMap((s) => s.statuses.filter((status) => status !== 200 && status !== 201)), [], 'every request through the proxy succeeded')
  t.equal(spread.reduce((n, s) => n + s.staleReads, 0), 0, 'every re-read of the current item, on any replica, gave the item just given')
  t.ok(spread.every((s) => s.replicas.size >= 2), 'each student\'s requests were served by more than one exam replica')
  t.equal(new Set(spread.flatMap((s) => [...s.replicas])).size, exam.length, 'every exam replica served students')
  t.ok(spread.every((s) => s.result !== null) && single.every((s) => s.result !== null), 'every session ended with a result')

  for (const [i, s] of spread.entries()) {
    const reference = single[i]!
    t.same(s.stems, reference.stems, `student ${i}: the same item sequence as on one replica`)
    t.same(s.result, reference.result, `student ${i}: the same final θ and SE`)
    t.same(await trace(platform, school.teacher, s.sessionId), await trace(platform, school.teacher, reference.sessionId), `student ${i}: the same θ and SE after every answer`)
  }

  const answered = spread.reduce((n, s) => n + s.stems.length, 0) + single.reduce((n, s) => n + s.stems.length, 0)
  const sessionIds = [...spread, ...single].map((s) => s.sessionId)
  const [responses] = await platform.sql`select count(*)::int as n, count(distinct (session_id, position))::int as distinct_n from exam.responses where session_id = any(${sessionIds})`
  t.equal(responses?.n, answered, 'each answer recorded once')
  t.equal(responses?.distinct_n, answered, 'no position recorded twice')

  const inAnalytics = async (): Promise<number> => (await platform.sql`select count(*)::int as n from analytics.sessions where id = any(${sessionIds}) and completed_at is not null`)[0]?.n as number
  await waitFor(async () => await inAnalytics() === sessionIds.length, { what: 'every session in analytics', timeoutMs: 60_000, intervalMs: 250 })
  t.equal(await inAnalytics(), sessionIds.length, 'every completed session reached analytics')
  const [analyticsResponses] = await platform.sql`select count(*)::int as n from analytics.responses where session_id = any(${sessionIds})`
  t.equal(analyticsResponses?.n, answered, 'analytics holds each response once')
})

t.test('a mixed adaptive exam with passages, enemies and every item type, through the proxies, across auth, exam and analytics', async (t) => {
  const school = await buildSchool(platform, { students: 3, exams: 0 })
  const run = await runMixedExam(platform, school)
  checkMixedRun(t, run)
  await checkMixedInAnalytics(t, platform.url('analytics'), school, run)
  const answered = run.sessions.reduce((n, s) => n + s.given.length, 0)
  const [held] = await platform.sql`select count(*)::int as n from analytics.responses where session_id = any(${run.sessions.map((s) => s.sessionId)})`
  t.equal(held?.n, answered, 'analytics holds each response once')
})

t.test('an item edited and 25 items imported through one replica are served by every other replica at its next request', async (t) => {
  const [a, b, c] = platform.cluster.replicas.exam as [Replica, Replica, Replica]
  const school = await buildSchool(platform, { students: 2, exams: 1 })
  const [first, second] = school.students as [Student, Student]

  // Every replica holds the organization's bank in memory: two start sessions, the third reads one.
  const one = await call(a.url, 'POST', `/exam/exams/${school.examIds[0]}/sessions`, first.token)
  const two = await call(b.url, 'POST', `/exam/exams/${school.examIds[0]}/sessions`, second.token)
  t.same([one.status, two.status], [201, 201], 'replicas 1 and 2 started sessions')
  t.equal((await call(c.url, 'GET', `/exam/sessions/${two.body!.session.id}/current`, second.token)).status, 200, 'replica 3 served one')

  const list = await call(a.url, 'GET', '/exam/items?limit=100', school.teacher)
  const edited = (list.body!.items as Array<{ id: string, stem: string }>).find((item) => item.stem === 'Question 0')!
  t.equal((await call(a.url, 'PATCH', `/exam/items/${edited.id}`, school.teacher, { stem: 'Question 0, reworded' })).status, 200, 'an item edited through replica 1')
  const lines = Array.from({ length: 25 }, (_, i) => JSON.stringify({ stem: `New question ${i}`, options: ['a', 'b', 'c'], correctIndex: i % 3, subject: 'math', topics: ['algebra'], a: 1, b: 0, status: 'active' })).join('\n')
  t.equal((await call(a.url, 'POST', '/exam/items/import', school.teacher, lines, 'application/x-ndjson')).status, 201, '25 items imported through replica 1')
  const all = await call(a.url, 'GET', '/exam/items?limit=100', school.teacher)
  const newIds = (all.body!.items as Array<{ id: string, stem: string }>).filter((item) => item.stem.startsWith('New question')).map((item) => item.id)
  t.equal(newIds.length, 25)

  // A fixed exam of the edited item and two new ones, made through replica 1 and assigned.
  const fixed = await call(a.url, 'POST', '/exam/exams', school.teacher, { title: 'After the edit', kind: 'fixed', itemIds: [edited.id, newIds[0], newIds[1]] })
  t.equal(fixed.status, 201)
  t.equal((await call(a.url, 'PUT', `/exam/exams/${fixed.body!.id}/classrooms/${school.classroomId}`, school.teacher)).status, 204)

  const started = await call(b.url, 'POST', `/exam/exams/${fixed.body!.id}/sessions`, first.token)
  t.equal(started.status, 201, 'replica 2 starts the session')
  t.equal(started.body!.item.stem, 'Question 0, reworded', 'replica 2 serves the edited stem at start')
  const sessionId = started.body!.session.id as string
  const current = await call(c.url, 'GET', `/exam/sessions/${sessionId}/current`, first.token)
  t.equal(current.body!.item.stem, 'Question 0, reworded', 'replica 3 serves the edited stem on GET /current')
  const next = await call(c.url, 'POST', `/exam/sessions/${sessionId}/answers`, first.token, { itemId: edited.id, optionIndex: 0 })
  t.equal(next.status, 200, 'replica 3 takes the answer')
  t.equal(next.body!.item.stem, 'New question 0', 'replica 3 serves an item imported through replica 1')
  const last = await call(b.url, 'POST', `/exam/sessions/${sessionId}/answers`, first.token, { itemId: newIds[0], optionIndex: 0 })
  t.equal(last.status, 200, 'replica 2 takes an answer to an item imported through replica 1')
  t.equal(last.body!.item.stem, 'New question 1')
})

t.test('on the NATS cluster, a subscriber\'s or another service\'s credential cannot publish auth\'s events', async (t) => {
  const { cluster } = platform
  const users = streamFor(cluster.prefix, 'user.created')
  const admin = await connect({ servers: cluster.nats.urls, ...cluster.natsCredentials('admin') })
  t.teardown(async () => { await admin.close() })
  const jsm = await jetstreamManager(admin)
  const before = (await jsm.streams.info(users)).state.last_seq
  // A forged "someone registered again with your address" would make the mailer write to a stranger.
  const forged = newEnvelope(userRegistrationRepeatedV1, { userId: newEventId(), email: 'victim@example.org', displayName: 'Forger' })
  for (const user of ['subscriber', 'exam', 'analytics', 'notification'] as const) {
    const nc = await connect({ servers: cluster.nats.urls, ...cluster.natsCredentials(user) })
    await t.rejects(publishEnvelope(nc, cluster.prefix, forged), { message: /Permissions Violation for Publish/ }, `${user} may not publish user.registration.repeated`)
    await nc.close()
  }
  t.equal((await jsm.streams.info(users)).state.last_seq, before, 'the USERS stream took nothing')
})
