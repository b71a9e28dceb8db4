// Load on exam's main routes: 50 clients, each taking one student after another through adaptive exams
// (start, answer until the end) with staff reading the bank between, for 5 s (LOAD_FULL=1: 60 s).
import t from 'tap'
import { adaptiveBank, buildExam, school } from '../../../services/exam/test/helper.js'
import { assertHealthy, assertNoLostEvent, LOAD_FULL, listen, runLoad } from './support/load.js'

interface Step { session: { id: string }, item: { id: string, options: string[] } | null }

t.test('exam under load: no 5xx, the pool holds, no event lost, memory levels off', async (t) => {
  const ctx = await buildExam(t)
  const s = await school(ctx, { students: 60, items: adaptiveBank(60) })
  const exams: string[] = []
  for (let i = 0; i < (LOAD_FULL ? 60 : 20); i++) {
    const res = await ctx.app.inject({ method: 'POST', url: '/exam/exams', headers: s.teacher.headers, payload: { title: `Load ${i}`, kind: 'adaptive', subject: 'math', stopping: { minItems: 3, maxItems: 5 } } })
    exams.push(res.json().id)
    await ctx.app.inject({ method: 'PUT', url: `/exam/exams/${res.json().id}/classrooms/${s.classroomId}`, headers: s.teacher.headers })
  }
  const token = (h: Record<string, string>): string => h.authorization!.slice('Bearer '.length)
  const pairs = exams.flatMap((examId) => s.students.map((st) => ({ examId, token: token(st.headers) })))
  const teacher = token(s.teacher.headers)
  const running = new Map<number, { token: string, step: Step }>()
  let completed = 0
  const base = await listen(ctx.app)
  const report = await runLoad(base, async (c) => {
    const mine = running.get(c.index)
    if (mine !== undefined && mine.step.item !== null) {
      const item = mine.step.item
      const res = await c.call('POST /exam/sessions/:id/answers', 'POST', `/exam/sessions/${mine.step.session.id}/answers`, { token: mine.token, body: { itemId: item.id, optionIndex: Math.floor(Math.random() * item.options.length), timeTakenMs: 1500 } })
      if (res.status === 200) { mine.step = res.body as Step; if (mine.step.item === null) { completed++; running.delete(c.index) } } else running.delete(c.index)
      return
    }
    const next = Math.random() < 0.8 ? pairs.pop() : undefined
    if (next === undefined) {
      if (c.index % 2 === 0) await c.call('GET /exam/items', 'GET', '/exam/items?limit=20&status=active', { token: teacher })
      else await c.call('GET /exam/sessions', 'GET', '/exam/sessions?limit=20', { token: teacher })
      return
    }
    const res = await c.call('POST /exam/exams/:id/sessions', 'POST', `/exam/exams/${next.examId}/sessions`, { token: next.token })
    if (res.status === 201) running.set(c.index, { token: next.token, step: res.body as Step })
  })
  assertHealthy(t, 'exam', report)
  t.equal(Object.entries(report.statuses).filter(([s]) => !s.startsWith('2')).length, 0, `exam: every answer a success (${JSON.stringify(report.statuses)})`)
  t.comment(`exam: ${completed} sessions completed, ${running.size} left running`)
  const events = await assertNoLostEvent(t, 'exam', ctx.sql, 'exam', ctx.prefix)
  const rows = (await ctx.sql`select (select count(*)::int from exam.sessions) as sessions, (select count(*)::int from exam.responses) as responses`)[0]!
  t.ok(events.written >= rows.sessions + rows.responses, `exam: ${rows.sessions} sessions and ${rows.responses} responses announced in ${events.written} events`)
  t.ok(rows.sessions > 0, `${rows.sessions} sessions started, ${completed} completed`)
})
