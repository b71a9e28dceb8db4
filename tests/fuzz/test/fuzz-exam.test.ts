// Property-based fuzzing of every route exam documents, the item import (NDJSON and CSV) included, as a
// student, a teacher, an admin, staff of another school and with tokens exam must refuse. Every id the requests
// name is the school's, so the callers outside it are refused all that names them and shown none.
import t from 'tap'
import fc from 'fast-check'
import { buildExam, newItem, newOrganization, school } from '../../../services/exam/test/helper.js'
import { documentedRoutes } from './support/openapi.js'
import { fingerprinter } from './support/tables.js'
import { badTokens } from './support/tokens.js'
import { fuzzService, runsPerRoute, type FuzzTarget } from './support/fuzz.js'
import { jsonBodyValue, malformedJson, oddString, type Known } from './support/arbitraries.js'
import type { Role } from '@dreamseed/kit'

const runs = runsPerRoute(150)

t.test('exam: every route, thousands of generated requests: no 5xx, the error model, no row changed by a refusal', async (t) => {
  const ctx = await buildExam(t)
  const s = await school(ctx, { students: 3, items: [...Array.from({ length: 12 }, (_, i) => newItem({ status: 'active', topics: [i % 2 === 0 ? 'algebra' : 'geometry'] })), newItem({ status: 'draft' })] })
  const teacher = s.teacher
  const exams: string[] = []
  for (const body of [{ title: 'Adaptive', kind: 'adaptive', subject: 'math', stopping: { minItems: 2, maxItems: 4 } }, { title: 'Fixed', kind: 'fixed', itemIds: s.itemIds.slice(0, 3) }]) {
    const res = await ctx.app.inject({ method: 'POST', url: '/exam/exams', headers: teacher.headers, payload: body })
    exams.push(res.json().id)
    await ctx.app.inject({ method: 'PUT', url: `/exam/exams/${res.json().id}/classrooms/${s.classroomId}`, headers: teacher.headers })
  }
  const started = await ctx.app.inject({ method: 'POST', url: `/exam/exams/${exams[0]}/sessions`, headers: s.student.headers })
  const sessionId = started.json().session.id as string

  const callers: Record<string, { userId: string, role: Role, organizationId: string | null }> = {
    student: { userId: s.student.userId, role: 'student', organizationId: s.organizationId },
    teacher: { userId: teacher.userId, role: 'teacher', organizationId: s.organizationId },
    admin: { userId: newOrganization(), role: 'admin', organizationId: s.organizationId },
    'teacher of another school': { userId: newOrganization(), role: 'teacher', organizationId: newOrganization() },
    'student of no school': { userId: newOrganization(), role: 'student', organizationId: null }
  }
  let tokens: Record<string, string> = {}
  const renew = async (): Promise<void> => { tokens = Object.fromEntries(await Promise.all(Object.entries(callers).map(async ([k, c]) => [k, await ctx.tokenFor(c)] as const))) }
  await renew()

  const known: Known = {
    uuids: [...s.itemIds.slice(0, 4), ...exams, s.classroomId, sessionId, s.organizationId, s.student.userId, teacher.userId],
    emails: [],
    strings: ['math', 'algebra', 'geometry']
  }
  const itemSchema = (await documentedRoutes(ctx.app)).find((r) => r.method === 'POST' && r.path === '/exam/items')!.body!['application/json']
  const item = jsonBodyValue(itemSchema, known)
  const csvCell = fc.oneof(fc.constantFrom('', 'math', 'algebra;geometry', '1', '-1', '0.5', '7', 'active', 'draft', '"quoted, cell"', '"unterminated', '=cmd|x'), oddString)
  const csvHeader = fc.oneof(
    { weight: 3, arbitrary: fc.constant('stem,option1,option2,option3,option4,correctIndex,subject,topics,a,b,c,d,status') },
    { weight: 1, arbitrary: fc.array(fc.constantFrom('stem', 'option1', 'option2', 'correctIndex', 'subject', 'b', 'topics', 'status', 'x', '__proto__', 'constructor', ''), { maxLength: 8 }).map((h) => h.join(',')) }
  )
  const bodies = {
    'POST /exam/items/import': fc.oneof(
      fc.array(fc.oneof({ weight: 4, arbitrary: item.map((v) => JSON.stringify(v) ?? '') }, { weight: 1, arbitrary: malformedJson(item) }), { minLength: 0, maxLength: 6 })
        .map((lines) => ({ contentType: 'application/x-ndjson', payload: lines.join('\n') })),
      fc.tuple(csvHeader, fc.array(fc.array(csvCell, { minLength: 0, maxLength: 14 }), { maxLength: 5 }))
        .map(([header, rows]) => ({ contentType: 'text/csv', payload: [header, ...rows.map((r) => r.join(','))].join('\n') })),
      fc.tuple(csvHeader, fc.array(fc.tuple(fc.string({ minLength: 1, maxLength: 20 }), fc.integer({ min: -1, max: 6 }), fc.double({ min: -7, max: 7, noNaN: true })), { minLength: 1, maxLength: 4 }))
        .map(([header, rows]) => ({ contentType: 'text/csv', payload: [header, ...rows.map(([stem, k, b]) => `${stem},a,b,c,d,${k},math,algebra,1,${b},0,1,active`)].join('\n') }))
    )
  }

  const target: FuzzTarget = {
    app: ctx.app,
    ops: ctx.app.ops,
    fingerprint: await fingerprinter(ctx.sql, 'exam'),
    ctx: { known, tokens: () => tokens, badTokens: await badTokens(tokens.teacher!, ctx.config.authIssuer, ctx.config.authAudience), bodies, outsiders: { callers: ['teacher of another school', 'student of no school'], ids: known.uuids } },
    repair: renew
  }
  const routes = await documentedRoutes(ctx.app)
  t.ok(routes.length >= 15, `${routes.length} documented routes`)
  const tally = await fuzzService(t, target, routes, { runs, prefixes: ['/exam', '/exam/items', '/exam/exams', '/exam/sessions'] })
  t.ok(tally.requests >= routes.length * runs, `${tally.requests} generated requests`)
})
