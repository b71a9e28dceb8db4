// A student's accommodation profile, as auth announces it: exam keeps it, scales the time limit of a session by
// its multiplier when the session starts, and copies it onto the session, where it stays whatever happens to
// the profile later; it is shown with the session, its result and the proctor's list, and carried by the events.
import t from 'tap'
import { newEnvelope, newEventId, streamFor, userAccommodationsChangedV1, type Accommodations } from '@dreamseed/events'
import { waitForConsumerIdle } from '@dreamseed/testing'
import { ACCOMMODATION_DURABLE } from '../../../src/consumers/event-consumers.js'
import { buildExam, type ExamContext } from '../../helper.js'
import { answerAt, assignedExam, eventsOf, post, school, testClock } from './pausing.js'

const EXTENDED: Accommodations = { timeMultiplier: 1.5, extraBreaks: 2, flags: ['read_aloud', 'large_print'] }

/** auth's event for a profile set (or cleared, null) at `changedAt`, published; returns once exam's consumer has nothing pending. */
async function announce (ctx: ExamContext, organizationId: string, userId: string, accommodations: Accommodations | null, changedAt: string, times = 1) {
  const envelope = newEnvelope(userAccommodationsChangedV1, { organizationId, userId, accommodations, changedBy: newEventId(), changedAt })
  for (let i = 0; i < times; i++) await ctx.publish(envelope)
  await waitForConsumerIdle(ctx.nc, streamFor(ctx.prefix, userAccommodationsChangedV1.type), ACCOMMODATION_DURABLE)
  return envelope
}

t.test('the profile in force scales the time limit at the start and stays with the session, its result, the proctor\'s list and its events', async (t) => {
  const clock = testClock()
  const ctx = await buildExam(t, { EXAM_EXPIRY_INTERVAL_S: '3600' }, { now: clock.now })
  const s = await school(ctx, { students: 2 })
  const [ann, bob] = s.students as [typeof s.student, typeof s.student]
  await announce(ctx, s.organizationId, ann.userId, EXTENDED, '2026-03-01T12:00:00.000Z')
  const examId = await assignedExam(ctx, s, { kind: 'fixed', itemIds: s.itemIds.slice(0, 3), stopping: { timeLimitSeconds: 600 } })
  const listed = async (student: typeof ann) => (await ctx.app.inject({ method: 'GET', url: '/exam/exams', headers: student.headers })).json().exams.find((e: { id: string }) => e.id === examId)
  t.match(await listed(ann), { timeLimitSeconds: 900, accommodations: EXTENDED, session: null }, 'before starting, the student\'s list shows their own limit: 600 s × 1.5')
  t.match(await listed(bob), { timeLimitSeconds: 600, accommodations: null }, 'and the exam\'s for a student without a profile')

  const started = (await post(ctx.app, `/exam/exams/${examId}/sessions`, ann.headers)).json()
  t.match(started.session, { startedAt: '2026-03-02T09:00:00.000Z', deadlineAt: '2026-03-02T09:15:00.000Z', accommodations: EXTENDED }, 'ten minutes times 1.5')
  const id = started.session.id as string
  const plain = (await post(ctx.app, `/exam/exams/${examId}/sessions`, bob.headers)).json()
  t.match(plain.session, { deadlineAt: '2026-03-02T09:10:00.000Z', accommodations: null }, 'a student without a profile: the exam\'s limit')
  const [row] = await ctx.sql`select deadline_at, accommodations from exam.sessions where id = ${id}`
  t.same({ ...row }, { deadline_at: new Date('2026-03-02T09:15:00.000Z'), accommodations: EXTENDED }, 'the row holds the deadline and its copy of the profile')
  t.match((await eventsOf(ctx, id, 'exam.session.started'))[0]!.envelope.data, { deadlineAt: '2026-03-02T09:15:00.000Z', accommodations: EXTENDED })
  t.match((await eventsOf(ctx, plain.session.id, 'exam.session.started'))[0]!.envelope.data, { deadlineAt: '2026-03-02T09:10:00.000Z', accommodations: null })

  // The profile changes, then is cleared, while the session runs: the session is as it started.
  await announce(ctx, s.organizationId, ann.userId, { timeMultiplier: 3, extraBreaks: 0, flags: [] }, '2026-03-02T09:01:00.000Z')
  await announce(ctx, s.organizationId, ann.userId, null, '2026-03-02T09:02:00.000Z')
  clock.advance(3 * 60_000)
  t.match((await ctx.app.inject({ method: 'GET', url: `/exam/sessions/${id}`, headers: s.teacher.headers })).json(), { deadlineAt: '2026-03-02T09:15:00.000Z', accommodations: EXTENDED }, 'a later change leaves the running session alone')
  const live = (await ctx.app.inject({ method: 'GET', url: `/exam/classrooms/${s.classroomId}/sessions`, headers: s.teacher.headers })).json()
  const byId = new Map(live.sessions.map((x: { id: string }) => [x.id, x]))
  t.match(byId.get(id), { accommodations: EXTENDED, timeLeftS: 12 * 60 }, 'the proctor sees the profile and the scaled time left')
  t.match(byId.get(plain.session.id), { accommodations: null, timeLeftS: 7 * 60 })

  let step = started
  for (let i = 0; step.item !== null; i++) step = (await answerAt(ctx, ctx.app, ann.headers, id, step.item, i)).json()
  t.match(step, { session: { status: 'completed', accommodations: EXTENDED }, result: { itemsAnswered: 3 } }, 'the result is shown with the profile it was taken with')
  t.match((await eventsOf(ctx, id, 'exam.session.completed'))[0]!.envelope.data, { accommodations: EXTENDED })
  t.match((await ctx.app.inject({ method: 'GET', url: '/exam/sessions', headers: ann.headers })).json().sessions, [{ id, accommodations: EXTENDED }], 'and in the student\'s list')

  t.match(await listed(ann), { timeLimitSeconds: 600, accommodations: null, session: { id, status: 'completed' } }, 'the list follows the profile as it is now (cleared); the session kept its own')
  // The next exam starts with the profile as it is now: cleared.
  const next = await assignedExam(ctx, s, { kind: 'fixed', itemIds: s.itemIds.slice(3, 5), stopping: { timeLimitSeconds: 600 } })
  t.match((await post(ctx.app, `/exam/exams/${next}/sessions`, ann.headers)).json().session, { deadlineAt: '2026-03-02T09:13:00.000Z', accommodations: null })
})

t.test('a profile only moves forward in time: an older change arriving late, or one delivered twice, changes nothing', async (t) => {
  const ctx = await buildExam(t)
  const s = await school(ctx, { items: [] })
  const profile = async () => (await ctx.sql`select time_multiplier, extra_breaks, flags, cleared from exam.accommodations where user_id = ${s.student.userId}`).map((r) => ({ ...r }))
  const twice = await announce(ctx, s.organizationId, s.student.userId, { timeMultiplier: 2, extraBreaks: 1, flags: ['calculator'] }, '2026-03-02T10:00:00.000Z', 2)
  t.equal((await ctx.sql`select count(*)::int as n from exam.inbox where event_id = ${twice.id}`)[0]!.n, 1, 'applied once')
  await announce(ctx, s.organizationId, s.student.userId, { timeMultiplier: 1.25, extraBreaks: 0, flags: [] }, '2026-03-02T09:00:00.000Z')
  t.same(await profile(), [{ time_multiplier: 2, extra_breaks: 1, flags: ['calculator'], cleared: false }], 'the older change is ignored')
  await announce(ctx, s.organizationId, s.student.userId, null, '2026-03-02T11:00:00.000Z')
  await announce(ctx, s.organizationId, s.student.userId, { timeMultiplier: 4, extraBreaks: 10, flags: [] }, '2026-03-02T10:30:00.000Z')
  t.match(await profile(), [{ cleared: true }], 'a clearing is not undone by an older set')
})
