import t from 'tap'
import type { Envelope } from '@dreamseed/events'
import { buildAnalytics, ev, id, sessionEvents, T0, type AnalyticsContext } from '../helper.js'

/** A classroom with n students, each with a completed session on one shared item and exam. */
async function classroom (ctx: AnalyticsContext, organizationId: string, teacherId: string, n: number) {
  const classroomId = id()
  const examId = id()
  const item = id()
  const students = Array.from({ length: n }, () => id())
  const events: Envelope[] = [ev.classroomCreated(classroomId, organizationId, teacherId), ev.itemChanged(item, organizationId), ev.assignmentChanged(examId, classroomId, organizationId)]
  students.forEach((s, i) => events.push(ev.userCreated(s, `S${i}`), ev.memberAdded(classroomId, organizationId, s),
    ...sessionEvents({ organizationId, studentId: s, examId, theta: (i % 7) - 3, answers: [[item, i % 2 === 0, true]] })))
  await ctx.publish(...events)
  return { classroomId, examId, item, students }
}

t.test('every route answers from the same number of queries for 1 row and for 100', async (t) => {
  const ctx = await buildAnalytics(t)
  const organizationId = id()
  const teacher = await ctx.as('teacher', organizationId)
  const small = await classroom(ctx, organizationId, teacher.userId, 1)
  const large = await classroom(ctx, organizationId, teacher.userId, 100)
  // One student with a history of 1 session, one with 100, in subjects of their own.
  const [few, many] = [large.students[0]!, large.students[1]!]
  await ctx.publish(...Array.from({ length: 100 }, (_, i) => sessionEvents({ organizationId, studentId: many, subject: 'physics', theta: i / 50, at: T0 + i * 60_000, answers: [[id(), true]] })).flat())
  // 100 more items, for the item list.
  await ctx.publish(...Array.from({ length: 100 }, () => ev.itemChanged(id(), organizationId)))
  await ctx.settled()

  const queries = async (url: string) => {
    const before = ctx.app.database.queryCount()
    const res = await ctx.get(url, teacher.headers)
    t.equal(res.statusCode, 200, `${url}: ${res.body.slice(0, 200)}`)
    return { n: ctx.app.database.queryCount() - before, body: res.json() }
  }
  const pairs: Array<[string, string, string, (body: never) => number]> = [
    ['item list', '/analytics/items?limit=1', '/analytics/items?limit=100', (b: { items: unknown[] }) => b.items.length],
    ['classroom students', `/analytics/classrooms/${small.classroomId}/students`, `/analytics/classrooms/${large.classroomId}/students?limit=100`, (b: { students: unknown[] }) => b.students.length],
    ['classroom summary', `/analytics/classrooms/${small.classroomId}`, `/analytics/classrooms/${large.classroomId}`, (b: { classroom: { students: number } }) => b.classroom.students],
    ['student progress', `/analytics/students/${few}`, `/analytics/students/${many}`, (b: { sessionsTaken: number }) => b.sessionsTaken],
    ['exam summary', `/analytics/exams/${small.examId}`, `/analytics/exams/${large.examId}`, (b: { completions: number }) => b.completions],
    ['item statistics', `/analytics/items/${small.item}`, `/analytics/items/${large.item}`, (b: { administrations: number }) => b.administrations],
    ['calibration', `/analytics/items/${small.item}/calibration`, `/analytics/items/${large.item}/calibration`, (b: { sampleSize: number }) => b.sampleSize]
  ]
  for (const [name, oneUrl, manyUrl, size] of pairs) {
    const one = await queries(oneUrl)
    const hundred = await queries(manyUrl)
    t.equal(size(one.body as never), 1, `${name}: one row`)
    t.ok(size(hundred.body as never) >= 100, `${name}: a hundred rows`)
    t.equal(one.n, hundred.n, `${name}: ${one.n} queries for 1 row and ${hundred.n} for 100`)
    t.ok(one.n >= 1 && one.n <= 3, `${name}: ${one.n} queries`)
    t.equal((await queries(manyUrl)).n, 0, `${name}: a second read comes from the cache`)
  }
})
