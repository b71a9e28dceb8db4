// Property-based fuzzing of every route analytics documents, over read models built from real events, as a
// student, a teacher and an admin of the school, staff of another school, and with tokens it must refuse. Every
// id the requests name is the school's, so the callers outside it are refused all that names them and shown none.
import t from 'tap'
import { buildAnalytics, ev, id, school, sessionEvents } from '../../../services/analytics/test/helper.js'
import { documentedRoutes } from './support/openapi.js'
import { fingerprinter } from './support/tables.js'
import { badTokens } from './support/tokens.js'
import { fuzzService, runsPerRoute, type FuzzTarget } from './support/fuzz.js'
import type { Known } from './support/arbitraries.js'

const runs = runsPerRoute(200)

t.test('analytics: every route, thousands of generated requests: no 5xx, the error model, no row changed by a refusal', async (t) => {
  const ctx = await buildAnalytics(t)
  const s = await school(ctx, 3)
  const examId = id()
  const items = Array.from({ length: 6 }, () => id())
  await ctx.publish(...items.map((itemId, i) => ev.itemChanged(itemId, s.organizationId, { b: i - 3, status: i === 5 ? 'pretest' : 'active' })), ev.assignmentChanged(examId, s.classroomId, s.organizationId))
  for (const [i, student] of s.students.entries()) {
    await ctx.publish(...sessionEvents({ organizationId: s.organizationId, studentId: student.userId, examId, theta: i - 1, answers: items.map((itemId, k) => [itemId, (k + i) % 2 === 0, k === 5]) }))
  }
  await ctx.settled()

  const callers = { student: s.student, teacher: s.teacher, admin: s.admin, 'teacher of another school': await ctx.as('teacher', id()), 'student of no school': await ctx.as('student', null) }
  const roles = { student: 'student', teacher: 'teacher', admin: 'admin', 'teacher of another school': 'teacher', 'student of no school': 'student' } as const
  let tokens: Record<string, string> = {}
  // Access tokens last ten minutes; the full setting runs longer.
  const renew = async (): Promise<void> => {
    const fresh = await Promise.all(Object.entries(callers).map(async ([name, c]) => [name, (await ctx.as(roles[name as keyof typeof roles], c.organizationId, c.userId)).headers.authorization.slice('Bearer '.length)] as const))
    tokens = Object.fromEntries(fresh)
  }
  await renew()
  const known: Known = {
    uuids: [...s.students.map((x) => x.userId), s.classroomId, examId, ...items.slice(0, 3), items[5]!, s.organizationId],
    emails: [],
    strings: ['math', 'algebra']
  }
  const target: FuzzTarget = {
    app: ctx.app,
    ops: ctx.app.ops,
    fingerprint: await fingerprinter(ctx.sql, 'analytics'),
    ctx: { known, tokens: () => tokens, badTokens: await badTokens(tokens.teacher!, ctx.config.authIssuer, ctx.config.authAudience), outsiders: { callers: ['teacher of another school', 'student of no school'], ids: known.uuids } },
    repair: renew
  }
  const routes = await documentedRoutes(ctx.app)
  t.ok(routes.length >= 10, `${routes.length} documented routes`)
  const tally = await fuzzService(t, target, routes, { runs, prefixes: ['/analytics', '/analytics/students', '/analytics/classrooms', '/analytics/items', '/analytics/exams'] })
  t.ok(tally.requests >= routes.length * runs, `${tally.requests} generated requests`)
})
