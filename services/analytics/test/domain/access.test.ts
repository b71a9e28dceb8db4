import t from 'tap'
import { buildAnalytics, ev, id, school, sessionEvents } from '../helper.js'

t.test('students see only themselves, teachers their classrooms and their students, admins their organization', async (t) => {
  const ctx = await buildAnalytics(t)
  const s = await school(ctx, 2)
  const other = await school(ctx, 1)
  const item = id()
  const examId = id()
  await ctx.publish(ev.itemChanged(item, s.organizationId))
  await ctx.publish(...sessionEvents({ organizationId: s.organizationId, studentId: s.student.userId, examId, theta: 0, answers: [[item, true]] }))
  // A second teacher of the same organization, with a classroom of their own.
  const colleague = await ctx.as('teacher', s.organizationId)
  const colleagueClass = id()
  await ctx.publish(ev.classroomCreated(colleagueClass, s.organizationId, colleague.userId))
  await ctx.settled()

  const cases: Array<[string, string, Record<string, string>, number, string?]> = [
    ['a student reads themselves', `/analytics/students/${s.student.userId}`, s.student.headers, 200],
    ['a student reads a classmate', `/analytics/students/${s.students[1]!.userId}`, s.student.headers, 403, 'FORBIDDEN'],
    ['a student reads their classroom', `/analytics/classrooms/${s.classroomId}`, s.student.headers, 403, 'FORBIDDEN'],
    ['a student reads item statistics', `/analytics/items/${item}`, s.student.headers, 403, 'FORBIDDEN'],
    ['a student reads an exam summary', `/analytics/exams/${examId}`, s.student.headers, 403, 'FORBIDDEN'],
    ['the teacher reads their student', `/analytics/students/${s.student.userId}`, s.teacher.headers, 200],
    ['the teacher reads their classroom', `/analytics/classrooms/${s.classroomId}`, s.teacher.headers, 200],
    ['the teacher lists their classroom\'s students', `/analytics/classrooms/${s.classroomId}/students`, s.teacher.headers, 200],
    ['the teacher reads their organization\'s item', `/analytics/items/${item}`, s.teacher.headers, 200],
    ['the teacher reads their organization\'s exam', `/analytics/exams/${examId}`, s.teacher.headers, 200],
    ['a colleague reads a student not in their classrooms', `/analytics/students/${s.student.userId}`, colleague.headers, 403, 'ANALYTICS_NOT_YOUR_STUDENT'],
    ['a colleague reads another teacher\'s classroom', `/analytics/classrooms/${s.classroomId}`, colleague.headers, 403, 'ANALYTICS_NOT_YOUR_CLASSROOM'],
    ['a colleague lists another teacher\'s students', `/analytics/classrooms/${s.classroomId}/students`, colleague.headers, 403, 'ANALYTICS_NOT_YOUR_CLASSROOM'],
    ['the admin reads any student of the organization', `/analytics/students/${s.student.userId}`, s.admin.headers, 200],
    ['the admin reads any classroom of the organization', `/analytics/classrooms/${colleagueClass}`, s.admin.headers, 200],
    ['another organization\'s admin reads the student', `/analytics/students/${s.student.userId}`, other.admin.headers, 404, 'ANALYTICS_STUDENT_NOT_FOUND'],
    ['another organization\'s admin reads the classroom', `/analytics/classrooms/${s.classroomId}`, other.admin.headers, 404, 'ANALYTICS_CLASSROOM_NOT_FOUND'],
    ['another organization\'s teacher reads the classroom', `/analytics/classrooms/${s.classroomId}`, other.teacher.headers, 404, 'ANALYTICS_CLASSROOM_NOT_FOUND'],
    ['another organization\'s teacher reads the item', `/analytics/items/${item}`, other.teacher.headers, 404, 'ANALYTICS_ITEM_NOT_FOUND'],
    ['another organization\'s teacher reads its calibration', `/analytics/items/${item}/calibration`, other.teacher.headers, 404, 'ANALYTICS_ITEM_NOT_FOUND'],
    ['another organization\'s admin reads the exam', `/analytics/exams/${examId}`, other.admin.headers, 404, 'ANALYTICS_EXAM_NOT_FOUND'],
    ['another organization\'s teacher does not see the item in its list', '/analytics/items', other.teacher.headers, 200],
    ['nobody signed in', `/analytics/students/${s.student.userId}`, {}, 401, 'AUTHENTICATION_REQUIRED']
  ]
  // Twice: the second round is answered from the cache, and must apply the same rules.
  for (const round of ['fresh', 'cached']) {
    for (const [name, url, headers, status, code] of cases) {
      const res = await ctx.get(url, headers)
      t.equal(res.statusCode, status, `${round}: ${name}: ${res.body.slice(0, 200)}`)
      if (code !== undefined) t.equal(res.json().error.code, code, `${round}: ${name}`)
    }
  }
  t.same((await ctx.get('/analytics/items', other.teacher.headers)).json().items, [])
  t.equal((await ctx.get('/analytics/items', s.teacher.headers)).json().items.length, 1)
  const promote = await ctx.app.inject({ method: 'POST', url: `/analytics/items/${item}/promote`, headers: other.admin.headers })
  t.equal(promote.statusCode, 404, `another organization cannot promote the item, nor learn that it exists: ${promote.body}`)
  const byStudent = await ctx.app.inject({ method: 'POST', url: `/analytics/items/${item}/promote`, headers: s.student.headers })
  t.equal(byStudent.statusCode, 403, 'a student cannot promote')
})

t.test('a removed student is no longer their former teacher\'s to read', async (t) => {
  const ctx = await buildAnalytics(t)
  const s = await school(ctx, 1)
  await ctx.settled()
  t.equal((await ctx.get(`/analytics/students/${s.student.userId}`, s.teacher.headers)).statusCode, 200)
  await ctx.publish(ev.memberRemoved(s.classroomId, s.organizationId, s.student.userId))
  await ctx.settled()
  const res = await ctx.get(`/analytics/students/${s.student.userId}`, s.teacher.headers)
  t.equal(res.statusCode, 403)
  t.equal(res.json().error.code, 'ANALYTICS_NOT_YOUR_STUDENT')
  t.equal((await ctx.get(`/analytics/students/${s.student.userId}`, s.admin.headers)).statusCode, 200, 'the admin still may')
})

t.test('unknown ids are 404s for staff, and a student without data sees an empty report of their own', async (t) => {
  const ctx = await buildAnalytics(t)
  const organizationId = id()
  const admin = await ctx.as('admin', organizationId)
  const newcomer = await ctx.as('student', organizationId)
  for (const [url, code] of [[`/analytics/students/${id()}`, 'ANALYTICS_STUDENT_NOT_FOUND'], [`/analytics/classrooms/${id()}`, 'ANALYTICS_CLASSROOM_NOT_FOUND'], [`/analytics/items/${id()}`, 'ANALYTICS_ITEM_NOT_FOUND'], [`/analytics/items/${id()}/calibration`, 'ANALYTICS_ITEM_NOT_FOUND'], [`/analytics/exams/${id()}`, 'ANALYTICS_EXAM_NOT_FOUND'], [`/analytics/classrooms/${id()}/students`, 'ANALYTICS_CLASSROOM_NOT_FOUND']] as const) {
    const res = await ctx.get(url, admin.headers)
    t.equal(res.statusCode, 404, url)
    t.equal(res.json().error.code, code)
  }
  const mine = await ctx.get(`/analytics/students/${newcomer.userId}`, newcomer.headers)
  t.equal(mine.statusCode, 200)
  t.same([mine.json().sessionsTaken, mine.json().subjects, mine.json().organizationId], [0, [], organizationId])
  const orphan = await ctx.as('teacher', null)
  const res = await ctx.get('/analytics/items', orphan.headers)
  t.equal(res.statusCode, 403)
  t.equal(res.json().error.code, 'ANALYTICS_NO_ORGANIZATION')
})
