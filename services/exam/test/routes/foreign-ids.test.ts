import t from 'tap'
import { newEventId } from '@dreamseed/events'
import { strangerProblems } from '@dreamseed/testing'
import { buildExam, newOrganization, school } from '../helper.js'

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'

// Every exam route that takes an id, with the ids of one school (and the item its student is shown).
const routes = (ids: { item: string, exam: string, classroom: string, session: string, shown: string }): Array<[Method, string, object?]> => [
  ['GET', `/exam/items/${ids.item}`],
  ['PATCH', `/exam/items/${ids.item}`, { status: 'retired' }],
  ['GET', `/exam/exams/${ids.exam}`],
  ['PUT', `/exam/exams/${ids.exam}/classrooms/${ids.classroom}`],
  ['DELETE', `/exam/exams/${ids.exam}/classrooms/${ids.classroom}`],
  ['POST', `/exam/exams/${ids.exam}/sessions`],
  ['GET', `/exam/sessions/${ids.session}`],
  ['GET', `/exam/sessions/${ids.session}/current`],
  ['POST', `/exam/sessions/${ids.session}/answers`, { itemId: ids.shown, optionIndex: 0 }]
]

t.test('another organization\'s id answers exactly like an id that does not exist, after one lookup at most, and changes nothing', async (t) => {
  const ctx = await buildExam(t)
  const a = await school(ctx, { students: 1 })
  const exam = (await ctx.app.inject({ method: 'POST', url: '/exam/exams', headers: a.teacher.headers, payload: { title: 'A\'s', kind: 'adaptive', subject: 'math', stopping: { maxItems: 5 } } })).json()
  t.equal((await ctx.app.inject({ method: 'PUT', url: `/exam/exams/${exam.id as string}/classrooms/${a.classroomId}`, headers: a.teacher.headers })).statusCode, 204)
  const started = (await ctx.app.inject({ method: 'POST', url: `/exam/exams/${exam.id as string}/sessions`, headers: a.student.headers })).json()
  const real = routes({ item: a.itemIds[0]!, exam: exam.id, classroom: a.classroomId, session: started.session.id, shown: started.item.id })
  const made = routes({ item: newEventId(), exam: newEventId(), classroom: newEventId(), session: newEventId(), shown: started.item.id })
  const organizationB = newOrganization()

  const snapshot = async () => await ctx.sql`select
    (select json_agg(json_build_object('id', id, 'status', status, 'updated', updated_at) order by id) from exam.items) as items,
    (select count(*)::int from exam.assignments) as assignments,
    (select json_agg(json_build_object('id', id, 'responses', response_count, 'status', status) order by id) from exam.sessions) as sessions,
    (select count(*)::int from exam.responses) as responses,
    (select count(*)::int from exam.outbox) as events`
  const before = await snapshot()

  const callers = {
    'B\'s admin': await ctx.as('admin', organizationB),
    'B\'s teacher': await ctx.as('teacher', organizationB),
    'B\'s student': await ctx.as('student', organizationB),
    'an admin of no organization': await ctx.as('admin', null),
    'a teacher of no organization': await ctx.as('teacher', null),
    'a student of no organization': await ctx.as('student', null)
  }
  for (const [who, caller] of Object.entries(callers)) {
    for (const [i, [method, url, payload]] of real.entries()) {
      const send = async (path: string) => await ctx.app.inject({ method, url: path, headers: caller.headers, ...(payload === undefined ? {} : { payload }) })
      const queries = ctx.app.database.queryCount()
      const theirs = await send(url)
      const spent = ctx.app.database.queryCount() - queries
      const none = await send(made[i]![1])
      t.same(strangerProblems(theirs, none), [], `${who}, ${method} ${url}: answered like a made-up id`)
      t.ok(spent <= 1, `${who}, ${method} ${url}: ${spent} queries (one lookup at most)`)
    }
    t.same((await ctx.app.inject({ method: 'GET', url: `/exam/sessions?examId=${exam.id as string}`, headers: caller.headers })).json().sessions, [], `${who}: lists none of A's sessions`)
  }
  t.same(await snapshot(), before, 'no row changed')
  t.equal((await ctx.app.inject({ method: 'GET', url: `/exam/sessions/${started.session.id as string}`, headers: a.teacher.headers })).statusCode, 200, 'A\'s teacher still reads the session')
})
