import t from 'tap'
import { sleep, startPrivateNats, waitFor } from '@dreamseed/testing'
import { FULL, analyticsIdle, buildSchool, count, mailerIdle, pool, startPlatform, takeSession, uniqueEmail } from './helper.js'

// The outbox is what lets auth and exam keep their promises while NATS is away: their requests commit to
// Postgres alone, and the relays publish when NATS is back. The consumers then pick up where they stopped.
const OUTAGE_MS = 10_000
const USERS = FULL ? 200 : 40
const STUDENTS = FULL ? 10 : 5
const EXAMS = FULL ? 5 : 4

t.test(`NATS stopped for ${OUTAGE_MS / 1000} s while ${USERS} users register and ${STUDENTS * EXAMS} exam sessions run: nothing fails, every mail goes out once, analytics gets every session`, async (t) => {
  const nats = await startPrivateNats(t)
  const platform = await startPlatform(t, { natsUrl: nats.url, inProcess: ['auth', 'notification', 'exam', 'analytics'] })
  const school = await buildSchool(platform, { students: STUDENTS, exams: EXAMS })
  const mailsBefore = platform.smtp.mails.length

  await nats.stop()
  const stoppedAt = Date.now()
  const emails = Array.from({ length: USERS }, (_, i) => uniqueEmail(`outage${i}`))
  const work = Promise.all([
    pool(emails, 8, async (e) => await platform.register(e)),
    pool(school.examIds.flatMap((examId) => school.students.map((s) => ({ examId, token: s.token }))), 4, async (s) => await takeSession(platform.url('exam'), s.examId, s.token))
  ])
  // The outage lasts its full length whether or not the requests are done; those still running see NATS return.
  await Promise.race([work, sleep(OUTAGE_MS)])
  await sleep(Math.max(0, OUTAGE_MS - (Date.now() - stoppedAt)))
  const waiting = await count(platform.sql, 'select (select count(*) from auth.outbox where published_at is null) + (select count(*) from exam.outbox where published_at is null) as n')
  t.ok(waiting > 0, `${waiting} events waited in the outboxes`)
  t.equal(platform.smtp.mails.length, mailsBefore, 'no mail went out while NATS was down')
  await nats.start()
  const [registered, sessions] = await work

  t.same(registered, emails.map(() => 202), 'every registration was accepted')
  const failedSteps = sessions.flatMap((s) => s.statuses.filter((status) => status !== 200 && status !== 201))
  t.same(failedSteps, [], 'every session start and answer was accepted')
  t.ok(sessions.every((s) => s.answered >= 3), 'every session ran to its end')

  await waitFor(() => emails.every((e) => platform.smtp.mailsTo(e).length >= 1), { what: 'every mail after NATS returned', timeoutMs: 90000, intervalMs: 250 })
  const sessionIds = sessions.map((s) => s.sessionId)
  await waitFor(async () => (await platform.sql`select count(*)::int as n from analytics.sessions where id = any(${sessionIds}) and completed_at is not null`)[0]?.n === sessionIds.length, { what: 'every session in analytics', timeoutMs: 90000, intervalMs: 250 })
  // Redeliveries after a reconnect would still be pending or unacknowledged: wait until both consumers have settled everything.
  await mailerIdle(platform)
  await analyticsIdle(platform)

  const twice = emails.filter((e) => platform.smtp.mailsTo(e).length !== 1)
  t.same(twice, [], 'every new user got exactly one mail')
  t.equal(platform.smtp.mails.length, mailsBefore + USERS, 'and no one else got any')
  t.equal(await count(platform.sql, "select count(*)::int as n from notification.email_deliveries where status <> 'sent'"), 0, 'every delivery in the ledger is sent')
  const answered = sessions.reduce((a, s) => a + s.answered, 0)
  t.equal(await count(platform.sql, `select count(*)::int as n from analytics.responses where session_id in (${sessionIds.map((id) => `'${id}'`).join(',')})`), answered, `analytics holds each of the ${answered} answers once`)
  const mismatched = await platform.sql`
    select e.id from exam.sessions e left join analytics.sessions a on a.id = e.id
    where e.id = any(${sessionIds}) and (a.id is null or a.items_answered is distinct from e.items_answered or a.theta is distinct from e.theta)`
  t.equal(mismatched.length, 0, 'analytics holds every session with exam\'s result')
  t.equal(await count(platform.sql, 'select (select count(*) from auth.outbox where published_at is null) + (select count(*) from exam.outbox where published_at is null) as n'), 0, 'the outboxes are empty')
})
