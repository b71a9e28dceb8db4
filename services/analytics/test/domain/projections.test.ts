import t from 'tap'
import { buildAnalytics, ev, id, school, sessionEvents, T0 } from '../helper.js'

t.test('a completed session shows in the student\'s progress, the classroom summary and the exam summary', async (t) => {
  const ctx = await buildAnalytics(t, {}, { now: () => new Date(T0 + 3_600_000) })
  const s = await school(ctx, 2)
  const items = [id(), id(), id()]
  const examId = id()
  await ctx.publish(...items.map((i, n) => ev.itemChanged(i, s.organizationId, { b: n - 1 })), ev.assignmentChanged(examId, s.classroomId, s.organizationId))
  await ctx.publish(...sessionEvents({ organizationId: s.organizationId, studentId: s.student.userId, examId, theta: 0.5, se: 0.4, answers: [[items[0]!, true], [items[1]!, false], [items[2]!, true, true]] }))
  await ctx.settled()

  const progress = (await ctx.get(`/analytics/students/${s.student.userId}`, s.student.headers)).json()
  t.equal(progress.displayName, 'Student 1')
  t.equal(progress.organizationId, s.organizationId)
  t.equal(progress.sessionsTaken, 1)
  t.equal(progress.itemsAnswered, 2, 'the pretest answer is not scored')
  t.equal(progress.correct, 1)
  t.equal(progress.accuracy, 0.5)
  t.equal(progress.timeSpentMs, 3000)
  t.same(progress.subjects.map((x: { subject: string, theta: number, se: number, trend: string }) => [x.subject, x.theta, x.se, x.trend]), [['math', 0.5, 0.4, 'single_estimate']])
  t.same(progress.dailyActivity, [{ date: '2026-03-02', responses: 3, correct: 2, timeSpentMs: 3000 }])

  const summary = (await ctx.get(`/analytics/classrooms/${s.classroomId}`, s.teacher.headers)).json()
  t.equal(summary.classroom.students, 2)
  t.same(summary.exams.map((e: { examId: string, completedBy: number, title: string }) => [e.examId, e.completedBy, e.title]), [[examId, 1, 'Algebra check']])
  t.equal(summary.subjects[0].subject, 'math')
  t.equal(summary.subjects[0].ability.n, 1)
  t.equal(summary.subjects[0].ability.median, 0.5)

  const exam = (await ctx.get(`/analytics/exams/${examId}`, s.admin.headers)).json()
  t.equal(exam.completions, 1)
  t.equal(exam.sessionsStarted, 1)
  t.equal(exam.meanLength, 2)
  t.equal(exam.meanSe, 0.4)
  t.equal(exam.thetaHistogram.find((b: { from: number }) => b.from === 0.5).count, 1)
  t.equal(exam.proportionCorrectHistogram.find((b: { from: number }) => b.from === 0.5).count, 1)

  const item = (await ctx.get(`/analytics/items/${items[0]!}`, s.teacher.headers)).json()
  t.equal(item.administrations, 1)
  t.equal(item.proportionCorrect, 1)
  t.equal(item.exposureRate, 1)
  t.equal(item.meanResponseTimeMs, 1000)
  t.same(item.parameters, { a: 1, b: -1, c: 0, d: 1 })
})

t.test('an event delivered twice changes nothing the second time', async (t) => {
  const ctx = await buildAnalytics(t)
  const s = await school(ctx, 1)
  const item = id()
  const events = sessionEvents({ organizationId: s.organizationId, studentId: s.student.userId, theta: 1, answers: [[item, true], [item, false]] })
  await ctx.publish(...events)
  await ctx.settled()
  const before = (await ctx.get(`/analytics/students/${s.student.userId}`, s.student.headers)).json()
  const inbox = (await ctx.sql`select count(*)::int as n from analytics.inbox`)[0]!.n
  for (const e of events) await ctx.redeliver(e)
  await ctx.settled()
  t.equal((await ctx.sql`select count(*)::int as n from analytics.inbox`)[0]!.n, inbox, 'no event recorded twice')
  t.equal((await ctx.sql`select count(*)::int as n from analytics.responses`)[0]!.n, 2)
  t.same((await ctx.get(`/analytics/students/${s.student.userId}`, s.student.headers)).json(), before)
  t.equal(before.itemsAnswered, 2)
  t.equal(before.sessionsTaken, 1)
})

t.test('events in any order end in the same state', async (t) => {
  const ctx = await buildAnalytics(t)
  const organizationId = id()
  const teacher = await ctx.as('teacher', organizationId)
  const [a, b] = [await ctx.as('student', organizationId), await ctx.as('student', organizationId)]
  const classroomId = id()
  const item = id()
  const session = sessionEvents({ organizationId, studentId: a.userId, theta: 0.7, answers: [[item, true], [item, true]] })
  // The completion and the responses before the start; b's removal before their joining; the newer item
  // change before the older one; the members before their classroom.
  await ctx.publish(session[3]!, session[2]!, session[1]!, session[0]!)
  await ctx.publish(ev.memberRemoved(classroomId, organizationId, b.userId, T0 + 2000), ev.memberAdded(classroomId, organizationId, b.userId, T0 + 1000), ev.memberAdded(classroomId, organizationId, a.userId))
  await ctx.publish(ev.itemChanged(item, organizationId, { status: 'retired', b: 1.5, at: T0 + 9000 }), ev.itemChanged(item, organizationId, { status: 'active', b: -2, at: T0 }))
  await ctx.publish(ev.classroomCreated(classroomId, organizationId, teacher.userId))
  await ctx.settled()

  const [row] = await ctx.sql`select exam_kind, started_at, completed_at, theta from analytics.sessions`
  t.equal(row!.exam_kind, 'adaptive', 'the late start filled in its fields')
  t.ok(row!.started_at !== null && row!.completed_at !== null)
  t.equal(row!.theta, 0.7)
  const summary = (await ctx.get(`/analytics/classrooms/${classroomId}`, teacher.headers)).json()
  t.equal(summary.classroom.students, 1, 'the removal arrived first and still wins')
  const stats = (await ctx.get(`/analytics/items/${item}`, teacher.headers)).json()
  t.equal(stats.status, 'retired', 'the newest item change wins')
  t.same(stats.parameters, { a: 1, b: 1.5, c: 0, d: 1 })
  t.equal(stats.administrations, 2)
})

t.test('a student whose last two estimates differ by more than their combined SE is improving or falling behind', async (t) => {
  const ctx = await buildAnalytics(t)
  const s = await school(ctx, 3)
  const item = id()
  const run = (studentId: string, theta: number, se: number, at: number) => sessionEvents({ organizationId: s.organizationId, studentId, theta, se, at, answers: [[item, true]] })
  const [up, down, flat] = s.students.map((p) => p.userId) as [string, string, string]
  await ctx.publish(...run(up, -1, 0.3, T0), ...run(up, 0, 0.3, T0 + 86_400_000)) // +1.0 > sqrt(0.18) = 0.42
  await ctx.publish(...run(down, 1, 0.3, T0), ...run(down, 0.5, 0.3, T0 + 86_400_000)) // -0.5 < -0.42
  await ctx.publish(...run(flat, 0, 0.3, T0), ...run(flat, 0.4, 0.3, T0 + 86_400_000)) // +0.4 is within 0.42
  await ctx.settled()
  const summary = (await ctx.get(`/analytics/classrooms/${s.classroomId}`, s.teacher.headers)).json()
  const math = summary.subjects.find((x: { subject: string }) => x.subject === 'math')
  t.same(math.improving.map((x: { studentId: string }) => x.studentId), [up])
  t.same(math.fallingBehind.map((x: { studentId: string }) => x.studentId), [down])
  t.equal(math.ability.n, 3, 'the distribution counts each student once, at their latest estimate')
  t.same([math.ability.min, math.ability.median, math.ability.max], [0, 0.4, 0.5])
  t.equal(math.ability.mean, 0.3)
  const students = (await ctx.get(`/analytics/classrooms/${s.classroomId}/students`, s.teacher.headers)).json().students
  t.same(Object.fromEntries(students.map((x: { id: string, subjects: Array<{ trend: string }> }) => [x.id, x.subjects[0]!.trend])), { [up]: 'improving', [down]: 'falling_behind', [flat]: 'steady' })
  const progress = (await ctx.get(`/analytics/students/${up}`, s.teacher.headers)).json()
  t.same(progress.subjects[0].history.map((h: { theta: number }) => h.theta), [-1, 0], 'the whole history, oldest first')
})

t.test('an event that breaks its contract is filed as a dead letter and changes nothing', async (t) => {
  const ctx = await buildAnalytics(t)
  const s = await school(ctx, 1)
  const [started, , completed] = sessionEvents({ organizationId: s.organizationId, studentId: s.student.userId, theta: 0, answers: [[id(), true]] })
  const broken = { ...completed!, data: { ...(completed!.data as object), theta: 'high' } }
  await ctx.publish(started!, broken)
  await ctx.settled()
  t.equal((await ctx.sql`select count(*)::int as n from analytics.sessions where completed_at is not null`)[0]!.n, 0)
  t.equal((await ctx.sql`select count(*)::int as n from analytics.inbox where event_id = ${broken.id}`)[0]!.n, 0, 'not recorded as applied')
  const metrics = (await ctx.app.ops.inject({ method: 'GET', url: '/metrics' })).body
  t.match(metrics, /dreamseed_dead_letters_total\{consumer="analytics-exams"\} 1/)
})
