import t from 'tap'
import postgres from 'postgres'
import { connect } from '@nats-io/transport-node'
import { deadLetters } from '@dreamseed/events'
import { waitFor } from '@dreamseed/testing'
import { FULL, analyticsIdle, buildSchool, count, kill, mailerIdle, pool, spawnService, startPlatform, takeSession, uniqueEmail } from './helper.js'

// A consumer process that dies with SIGKILL gets no chance to finish, acknowledge or clean up. What it had
// claimed or half-written must be redone exactly once by the next process: the mail ledger and analytics'
// inbox are what make that true, JetStream's redelivery what makes nothing get lost.

t.test('the mailer killed with SIGKILL in the middle of a batch: no address gets two mails, none is lost', async (t) => {
  const BATCH = FULL ? 100 : 30
  const platform = await startPlatform(t, { inProcess: ['auth'], env: { MAILER_CONCURRENCY: '4' } })
  const mailer = await spawnService(t, 'notification', platform.env)
  const warmup = uniqueEmail('warmup')
  t.equal(await platform.register(warmup), 202)
  await waitFor(() => platform.smtp.mailsTo(warmup).length === 1, { what: 'the first mail', timeoutMs: 30000 })

  const emails = Array.from({ length: BATCH }, (_, i) => uniqueEmail(`batch${i}`))
  const registered = pool(emails, 8, async (e) => await platform.register(e))
  // A third of the batch out, then the SMTP server holds its replies: the next mails are in flight.
  await waitFor(() => platform.smtp.mails.length > BATCH / 3, { what: 'a third of the batch', timeoutMs: 60000, intervalMs: 5 })
  platform.smtp.setBehaviour('hold')
  await waitFor(() => platform.smtp.held() >= 2, { what: 'mails in flight', timeoutMs: 30000, intervalMs: 10 })
  await kill(mailer)
  t.same(await registered, emails.map(() => 202), 'every registration was accepted')
  // A held message whose client died was never accepted, as with a real MTA.
  await waitFor(() => platform.smtp.connections() === 0, { what: 'the killed mailer\'s connections to close' })
  platform.smtp.release()
  platform.smtp.setBehaviour('accept')
  const sentAtKill = platform.smtp.mails.length - 1
  t.ok(sentAtKill > 0 && sentAtKill < BATCH, `killed mid-batch: ${sentAtKill} of ${BATCH} sent`)
  t.ok(await count(platform.sql, "select count(*)::int as n from notification.email_deliveries where status = 'sending'") >= 1, 'deliveries were claimed and in flight when it died')

  await spawnService(t, 'notification', platform.env)
  await waitFor(() => emails.every((e) => platform.smtp.mailsTo(e).length >= 1), { what: 'every mail after the restart', timeoutMs: 60000, intervalMs: 250 })
  // What the killed mailer held is redelivered after an ack wait: only once that is settled is a duplicate ruled out.
  await mailerIdle(platform)
  t.same(emails.filter((e) => platform.smtp.mailsTo(e).length !== 1), [], 'every address got exactly one mail')
  t.equal(platform.smtp.mails.length, BATCH + 1, 'and the SMTP server accepted no other')
  const ledger = await platform.sql`select status, count(*)::int as n from notification.email_deliveries group by status`
  t.same(ledger.map((r) => ({ ...r })), [{ status: 'sent', n: BATCH + 1 }], 'one ledger row per mail, every one sent')
  const nc = await connect({ servers: platform.env.NATS_URL })
  t.teardown(() => nc.close())
  t.equal(await (await deadLetters(nc, platform.prefix)).count(), 0, 'no dead letters')
})

// Every event type analytics applies (services/analytics/src/domain/apply-event.ts).
const APPLIED = ['user.created', 'user.role.changed', 'user.disabled', 'organization.member.added', 'classroom.created', 'classroom.member.added', 'classroom.member.removed', 'exam.item.changed', 'exam.assignment.changed', 'exam.session.started', 'exam.response.recorded', 'exam.session.completed']
const PUBLISHED = `(select (envelope->>'id')::uuid as id, type from auth.outbox union all select (envelope->>'id')::uuid, type from exam.outbox) o where o.type in (${APPLIED.map((x) => `'${x}'`).join(',')})`

t.test('analytics killed with SIGKILL in the middle of a batch: no event applied twice, none lost', async (t) => {
  const platform = await startPlatform(t, { inProcess: ['auth', 'notification', 'exam'], env: { ANALYTICS_CONSUMER_ACK_WAIT_MS: '2000', ANALYTICS_EXAM_CONCURRENCY: '8' } })
  const analytics = await spawnService(t, 'analytics', platform.env)
  const school = await buildSchool(platform, { students: FULL ? 8 : 4, exams: FULL ? 5 : 3 })
  await waitFor(async () => await count(platform.sql, `select count(*)::int as n from analytics.classroom_members where classroom_id = '${school.classroomId}'`) === school.students.length, { what: 'the classroom in analytics', timeoutMs: 30000 })

  // Answers cannot be written while the test holds this lock: analytics' transactions for them wait, open and
  // uncommitted, while the session events before them are applied. The batch is then half done when it dies.
  const locker = postgres(platform.env.DATABASE_URL!, { max: 1, onnotice: () => {} })
  t.teardown(async () => { await locker.end({ timeout: 1 }) })
  const lock = await locker.reserve()
  await lock`begin`
  await lock`lock table analytics.responses in share row exclusive mode`

  const sessions = await pool(school.examIds.flatMap((examId) => school.students.map((s) => ({ examId, token: s.token }))), 4, async (s) => await takeSession(platform.url('exam'), s.examId, s.token))
  t.same(sessions.flatMap((s) => s.statuses.filter((x) => x !== 200 && x !== 201)), [], 'every session ran')
  await waitFor(async () => await count(platform.sql, "select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name like 'analytics-%' and wait_event_type = 'Lock'") >= 4, { what: 'analytics\' transactions waiting mid-batch', timeoutMs: 30000 })
  const expected = await count(platform.sql, `select count(*)::int as n from ${PUBLISHED}`)
  const appliedAtKill = await count(platform.sql, 'select count(*)::int as n from analytics.inbox')
  await kill(analytics)
  await lock`rollback`
  lock.release()
  t.ok(await count(platform.sql, "select count(*)::int as n from analytics.inbox where type = 'exam.session.started'") > 0, 'some of the batch was applied before the kill')
  t.ok(appliedAtKill < expected, `killed mid-batch: ${appliedAtKill} of ${expected} events applied`)
  // The killed process's transactions roll back when Postgres finds its connections gone.
  await waitFor(async () => await count(platform.sql, "select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name like 'analytics-%'") === 0, { what: 'the killed process\'s connections to end', timeoutMs: 30000 })
  t.equal(await count(platform.sql, 'select count(*)::int as n from analytics.responses'), 0, 'no answer was half-written')

  await spawnService(t, 'analytics', platform.env)
  const missing = async (): Promise<number> => await count(platform.sql, `select count(*)::int as n from ${PUBLISHED} and not exists (select 1 from analytics.inbox i where i.event_id = o.id)`)
  await waitFor(async () => await missing() === 0, { what: 'every event applied after the restart', timeoutMs: 60000, intervalMs: 250 })
  await analyticsIdle(platform)
  t.equal(await missing(), 0, 'no event was lost')
  t.equal(await count(platform.sql, 'select count(*)::int as n from analytics.inbox'), expected, 'the inbox holds each published event once, and nothing else')
  const answered = sessions.reduce((a, s) => a + s.answered, 0)
  t.equal(await count(platform.sql, 'select count(*)::int as n from analytics.responses'), answered, `each of the ${answered} answers applied once`)
  const mismatched = await platform.sql`
    select e.id from exam.sessions e left join analytics.sessions a on a.id = e.id
    where a.id is null or a.completed_at is null or a.items_answered is distinct from e.items_answered`
  t.equal(mismatched.length, 0, `analytics holds all ${sessions.length} sessions completed, with their answer counts`)
  const nc = await connect({ servers: platform.env.NATS_URL })
  t.teardown(() => nc.close())
  t.equal(await (await deadLetters(nc, platform.prefix)).count(), 0, 'no dead letters')
})
