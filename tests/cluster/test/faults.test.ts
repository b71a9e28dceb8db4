// Failures production sees, on the production shape under load: an exam replica killed mid-exam, one NATS
// node of three stopped, and a rolling restart of every service. Each runs against the same cluster, with its
// own school and users, and asserts counts: nothing failed at the proxy, nothing lost, nothing doubled.
import t, { type Test } from 'tap'
import { buildSchool, call, pool, register, sleep, uniqueEmail, waitFor, type School } from '@dreamseed/testing'
import { FULL, startTestCluster, type TestCluster } from './helper.js'

const STUDENTS = FULL ? 50 : 10
const USERS = FULL ? 40 : 8
const NATS_OUTAGE_MS = FULL ? 20_000 : 6_000
// Students and exams enough to keep answering through an outage or a restart.
const LOAD_STUDENTS = FULL ? 20 : 4
const LOAD_EXAMS = FULL ? 30 : 12

interface Run { sessionId: string, answered: number, statuses: number[], completed: boolean }

/** A student answers through the proxy until the exam ends, after `gate` opens for the second answer on. */
async function takeExam (platform: TestCluster, examId: string, token: string, gate: Promise<void>, started: () => void): Promise<Run> {
  const exam = platform.url('exam')
  const first = await call(exam, 'POST', `/exam/exams/${examId}/sessions`, token)
  const run: Run = { sessionId: first.body?.session?.id ?? '', answered: 0, statuses: [first.status], completed: false }
  let item = first.body?.item as { id: string } | null
  while (item !== null && item !== undefined && run.answered < 30) {
    if (run.answered === 1) { started(); await gate }
    const step = await call(exam, 'POST', `/exam/sessions/${run.sessionId}/answers`, token, { itemId: item.id, optionIndex: run.answered % 4, timeTakenMs: 2000 })
    run.statuses.push(step.status)
    if (step.status !== 200) break
    run.answered++
    item = step.body!.item
    if (item === null) run.completed = step.body!.result !== null
  }
  return run
}

/** Every student of the school takes the exam; `during` runs once every student is mid-exam. */
async function examUnder (platform: TestCluster, school: School, during: () => Promise<void>): Promise<Run[]> {
  let open!: () => void
  const gate = new Promise<void>((resolve) => { open = resolve })
  let midway = 0
  const runs = pool(school.students, school.students.length, async (s) => await takeExam(platform, school.examIds[0]!, s.token, gate, () => { midway++ }))
  await waitFor(() => midway === school.students.length, { what: 'every student mid-exam', timeoutMs: 120_000 })
  const fault = during()
  open()
  await fault
  return await runs
}

async function assertExamsWhole (t: Test, platform: TestCluster, runs: Run[]): Promise<void> {
  t.same(runs.flatMap((r) => r.statuses.filter((s) => s !== 200 && s !== 201)), [], 'no request failed at the proxy')
  t.equal(runs.filter((r) => r.completed).length, runs.length, 'every student finished')
  const ids = runs.map((r) => r.sessionId)
  const answered = runs.reduce((n, r) => n + r.answered, 0)
  const [rows] = await platform.sql`select count(*)::int as n, count(distinct (session_id, position))::int as d from exam.responses where session_id = any(${ids})`
  t.equal(rows?.n, answered, 'every answer recorded, none twice')
  t.equal(rows?.d, answered, 'no position recorded twice')
  await waitFor(async () => (await platform.sql`select count(*)::int as n from analytics.sessions where id = any(${ids}) and completed_at is not null`)[0]?.n === ids.length, { what: 'every completed session in analytics', timeoutMs: 120_000, intervalMs: 250 })
  const [a] = await platform.sql`select count(*)::int as n from analytics.responses where session_id = any(${ids})`
  t.equal(a?.n, answered, 'analytics holds every response once')
}

/**
 * Load that goes on until `done` settles: students take one exam after another (the school has enough of
 * them) and new users register, all through the proxies.
 */
async function loadUntil (platform: TestCluster, school: School, label: string, done: Promise<void>): Promise<{ runs: Run[], emails: string[], statuses: number[] }> {
  let finished = false
  void done.finally(() => { finished = true })
  const runs: Run[] = []
  const emails: string[] = []
  const statuses: number[] = []
  const open = Promise.resolve()
  await Promise.all([
    ...school.students.map(async (s) => {
      for (const examId of school.examIds) {
        if (finished) break
        runs.push(await takeExam(platform, examId, s.token, open, () => {}))
      }
    }),
    (async () => {
      while (!finished || emails.length < USERS) {
        const email = uniqueEmail(label)
        emails.push(email)
        statuses.push(await register(platform.url('auth'), email))
        await sleep(50)
      }
    })()
  ])
  return { runs, emails, statuses }
}

t.test('the production shape survives a killed exam replica, a stopped NATS node and a rolling restart', async (t) => {
  const platform = await startTestCluster(t)
  const exam = platform.cluster.replicas.exam

  t.test(`an exam replica SIGKILLed while ${STUDENTS} students are mid-exam: every student finishes on the others`, async (t) => {
    const school = await buildSchool(platform, { students: STUDENTS, exams: 1 })
    const runs = await examUnder(platform, school, async () => { await exam[1]!.stop('SIGKILL') })
    await assertExamsWhole(t, platform, runs)
    await exam[1]!.start()
  })

  t.test(`one NATS node of three stopped for ${NATS_OUTAGE_MS / 1000} s under load: no lost event, no duplicate mail`, async (t) => {
    const school = await buildSchool(platform, { students: LOAD_STUDENTS, exams: LOAD_EXAMS })
    const outage = (async () => {
      await platform.cluster.nats.stop(1)
      await sleep(NATS_OUTAGE_MS)
      await platform.cluster.nats.start(1)
    })()
    const load = await loadUntil(platform, school, 'nats-node', outage)
    t.ok(load.runs.length > school.students.length, 'students took exams through the outage')
    t.same(load.statuses.filter((s) => s !== 202), [], 'every registration accepted')
    await assertExamsWhole(t, platform, load.runs)
    await assertOneMailEach(t, platform, load.emails)
  })

  t.test('a rolling restart of every service under load: no failed request, no lost event, no duplicate mail', async (t) => {
    const school = await buildSchool(platform, { students: LOAD_STUDENTS, exams: LOAD_EXAMS })
    const load = await loadUntil(platform, school, 'rolling', platform.cluster.rollingRestart())
    t.ok(load.runs.length > school.students.length, 'students took exams through the restart')
    t.same(load.statuses.filter((s) => s !== 202), [], 'every registration accepted')
    await assertExamsWhole(t, platform, load.runs)
    await assertOneMailEach(t, platform, load.emails)
  })
})

async function assertOneMailEach (t: Test, platform: TestCluster, emails: string[]): Promise<void> {
  await waitFor(() => emails.every((e) => platform.smtp.mailsTo(e).length > 0), { what: 'a mail to every address', timeoutMs: 120_000, intervalMs: 250 })
  await platform.waitForMailerIdle()
  t.same(emails.filter((e) => platform.smtp.mailsTo(e).length !== 1), [], 'exactly one mail to each address')
}
