import t from 'tap'
import { buildExam, school, type ExamContext } from '../helper.js'

// No N+1: a list costs the same number of queries whatever the number of rows on the page.
async function queriesFor (t: { equal: (a: unknown, b: unknown, m: string) => unknown }, ctx: ExamContext, url: string, headers: Record<string, string>, key: string): Promise<{ n: number, rows: number }> {
  const before = ctx.app.database.queryCount()
  const res = await ctx.app.inject({ method: 'GET', url, headers })
  t.equal(res.statusCode, 200, `${url}: 200`)
  return { n: ctx.app.database.queryCount() - before, rows: (res.json()[key] as unknown[]).length }
}

t.test('the exam and session lists cost the same queries for 1 row as for 30', async (t) => {
  const ctx = await buildExam(t)
  const s = await school(ctx, { students: 30 })
  const examIds: string[] = []
  for (let i = 0; i < 30; i++) {
    const res = await ctx.app.inject({ method: 'POST', url: '/exam/exams', headers: s.teacher.headers, payload: { title: `Exam ${i}`, kind: 'adaptive', subject: 'math', stopping: { maxItems: 3 } } })
    t.equal(res.statusCode, 201)
    examIds.push(res.json().id)
  }
  const examId = examIds[0]!
  t.equal((await ctx.app.inject({ method: 'PUT', url: `/exam/exams/${examId}/classrooms/${s.classroomId}`, headers: s.teacher.headers })).statusCode, 204)
  for (const student of s.students) {
    t.equal((await ctx.app.inject({ method: 'POST', url: `/exam/exams/${examId}/sessions`, headers: student.headers })).statusCode, 201)
  }

  const examOne = await queriesFor(t, ctx, '/exam/exams?limit=1', s.teacher.headers, 'exams')
  const examMany = await queriesFor(t, ctx, '/exam/exams?limit=30', s.teacher.headers, 'exams')
  t.same([examOne.rows, examMany.rows], [1, 30])
  t.equal(examOne.n, examMany.n, `exams: ${examOne.n} queries for 1 row and ${examMany.n} for 30`)

  // A teacher's session list is filtered by their classrooms: still no query per row.
  const sessionOne = await queriesFor(t, ctx, '/exam/sessions?limit=1', s.teacher.headers, 'sessions')
  const sessionMany = await queriesFor(t, ctx, '/exam/sessions?limit=30', s.teacher.headers, 'sessions')
  t.same([sessionOne.rows, sessionMany.rows], [1, 30])
  t.equal(sessionOne.n, sessionMany.n, `sessions: ${sessionOne.n} queries for 1 row and ${sessionMany.n} for 30`)
  t.ok(sessionMany.n <= 3, `a bounded number of queries (${sessionMany.n})`)

  // A student's list is the exams assigned to their classrooms.
  for (const id of examIds.slice(1)) {
    t.equal((await ctx.app.inject({ method: 'PUT', url: `/exam/exams/${id}/classrooms/${s.classroomId}`, headers: s.teacher.headers })).statusCode, 204)
  }
  const assignedOne = await queriesFor(t, ctx, '/exam/exams?limit=1', s.student.headers, 'exams')
  const assignedMany = await queriesFor(t, ctx, '/exam/exams?limit=30', s.student.headers, 'exams')
  t.same([assignedOne.rows, assignedMany.rows], [1, 30])
  t.equal(assignedOne.n, assignedMany.n, `assigned exams: ${assignedOne.n} queries for 1 row and ${assignedMany.n} for 30`)
})
