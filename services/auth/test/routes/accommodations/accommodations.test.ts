import t, { type Test } from 'tap'
import { buildAuth } from '../../helper.js'
import { api, classroom, eventsOf, member, school, type Ctx, type Member } from '../../organization-fixtures.js'

const url = (organizationId: string, userId: string): string => `/auth/organizations/${organizationId}/students/${userId}/accommodations`
const PROFILE = { timeMultiplier: 1.5, extraBreaks: 2, flags: ['large_print', 'read_aloud'] }

/** What a refused change must leave: no profile, no event, no audit entry. */
async function nothingWritten (t: Test, ctx: Ctx): Promise<void> {
  t.equal((await ctx.sql`select count(*)::int as n from auth.accommodations`)[0]!.n, 0, 'no profile written')
  t.same(await eventsOf(ctx, 'user.accommodations.changed'), [], 'no event')
  t.equal((await ctx.sql`select count(*)::int as n from auth.audit_log where action like 'accommodations.%'`)[0]!.n, 0, 'no audit entry')
}

async function joined (ctx: Ctx, teacher: Member, student: Member): Promise<string> {
  const room = await classroom(ctx, teacher)
  const res = await api(ctx, 'POST', '/auth/classrooms/join', student.auth, { code: room.joinCode })
  if (res.status !== 200) throw new Error(`join failed: ${res.status}`)
  return room.id
}

t.test('an admin sets a student\'s profile: stored, audited and announced in one transaction; the student reads it; clearing it is announced too', async (t) => {
  const ctx = await buildAuth(t)
  const { organizationId, admin, student } = await school(ctx)
  // Flags in any order come back in the closed list's order.
  const res = await api(ctx, 'PUT', url(organizationId, student.id), { ...admin.auth, 'x-request-id': 'acc-1' }, PROFILE)
  t.equal(res.status, 200)
  t.match(res.body, { organizationId, userId: student.id, timeMultiplier: 1.5, extraBreaks: 2, flags: ['read_aloud', 'large_print'], updatedBy: admin.id, updatedAt: String })
  const [row] = await ctx.sql`select time_multiplier, extra_breaks, flags, updated_by from auth.accommodations where organization_id = ${organizationId} and user_id = ${student.id}`
  t.same({ ...row }, { time_multiplier: 1.5, extra_breaks: 2, flags: ['read_aloud', 'large_print'], updated_by: admin.id })
  const [event] = await ctx.sql`select envelope from auth.outbox where type = 'user.accommodations.changed'`
  t.match(event!.envelope, { requestId: 'acc-1', data: { organizationId, userId: student.id, accommodations: { timeMultiplier: 1.5, extraBreaks: 2, flags: ['read_aloud', 'large_print'] }, changedBy: admin.id } })
  const [audit] = await ctx.sql`select actor_id, subject_user_id, organization_id, outcome, details from auth.audit_log where action = 'accommodations.set'`
  t.same({ ...audit }, { actor_id: admin.id, subject_user_id: student.id, organization_id: organizationId, outcome: 'success', details: { before: null, after: { timeMultiplier: 1.5, extraBreaks: 2, flags: ['read_aloud', 'large_print'] } } })

  const own = await api(ctx, 'GET', url(organizationId, student.id), student.auth)
  t.equal(own.status, 200, 'the student reads their own')
  t.match(own.body, { timeMultiplier: 1.5, extraBreaks: 2, flags: ['read_aloud', 'large_print'] })
  t.equal((await api(ctx, 'GET', url(organizationId, student.id), admin.auth)).status, 200)

  const changed = await api(ctx, 'PUT', url(organizationId, student.id), admin.auth, { timeMultiplier: 2, extraBreaks: 0, flags: [] })
  t.match(changed.body, { timeMultiplier: 2, extraBreaks: 0, flags: [] }, 'a PUT replaces the whole profile')

  t.equal((await api(ctx, 'DELETE', url(organizationId, student.id), admin.auth)).status, 204)
  t.equal((await ctx.sql`select count(*)::int as n from auth.accommodations`)[0]!.n, 0)
  const events = await eventsOf(ctx, 'user.accommodations.changed')
  t.equal(events.length, 3)
  t.match(events[2], { organizationId, userId: student.id, accommodations: null, changedBy: admin.id })
  const [cleared] = await ctx.sql`select details from auth.audit_log where action = 'accommodations.clear'`
  t.same(cleared!.details, { before: { timeMultiplier: 2, extraBreaks: 0, flags: [] }, after: null })
  const gone = await api(ctx, 'GET', url(organizationId, student.id), student.auth)
  t.equal(gone.status, 404)
  t.equal(gone.body.error.code, 'AUTH_ACCOMMODATIONS_NOT_FOUND')
  t.equal((await api(ctx, 'DELETE', url(organizationId, student.id), admin.auth)).status, 204, 'clearing what is not there is harmless')
  t.equal((await eventsOf(ctx, 'user.accommodations.changed')).length, 3, 'and announces nothing')
})

t.test('a teacher of one of the student\'s classrooms sets the profile; another teacher of the school is refused, and nothing is written', async (t) => {
  const ctx = await buildAuth(t)
  const { organizationId, teacher, student } = await school(ctx)
  const colleague = await member(ctx, 'teacher', organizationId)
  await classroom(ctx, colleague, 'Biology')

  const before = await api(ctx, 'PUT', url(organizationId, student.id), teacher.auth, PROFILE)
  t.equal(before.status, 403, 'not yet their student')
  t.equal(before.body.error.code, 'AUTH_NOT_STUDENTS_TEACHER')
  await nothingWritten(t, ctx)

  await joined(ctx, teacher, student)
  const refused = await api(ctx, 'PUT', url(organizationId, student.id), colleague.auth, PROFILE)
  t.equal(refused.status, 403, 'a teacher of another classroom')
  t.equal(refused.body.error.code, 'AUTH_NOT_STUDENTS_TEACHER')
  t.equal((await api(ctx, 'GET', url(organizationId, student.id), colleague.auth)).status, 403, 'nor reads it')
  t.equal((await api(ctx, 'DELETE', url(organizationId, student.id), colleague.auth)).status, 403, 'nor clears it')
  await nothingWritten(t, ctx)

  const set = await api(ctx, 'PUT', url(organizationId, student.id), teacher.auth, PROFILE)
  t.equal(set.status, 200, 'the student\'s teacher may')
  t.equal(set.body.updatedBy, teacher.id)
  t.match(await eventsOf(ctx, 'user.accommodations.changed'), [{ userId: student.id, changedBy: teacher.id }])
  t.equal((await api(ctx, 'GET', url(organizationId, student.id), teacher.auth)).status, 200)
})

t.test('who else is refused: a student (even for themselves), another student, another organization\'s admin; a non-student is not a student', async (t) => {
  const ctx = await buildAuth(t)
  const { organizationId, admin, teacher, student } = await school(ctx)
  const other = await school(ctx, 'Shelbyville')
  const classmate = await member(ctx, 'student', organizationId)

  const self = await api(ctx, 'PUT', url(organizationId, student.id), student.auth, PROFILE)
  t.equal(self.status, 403, 'a student sets no profile, not even their own')
  t.equal((await api(ctx, 'GET', url(organizationId, student.id), classmate.auth)).status, 403, 'nor reads another student\'s')
  const foreign = await api(ctx, 'PUT', url(organizationId, student.id), other.admin.auth, PROFILE)
  t.equal(foreign.status, 403, 'another organization\'s admin')
  const wrongOrg = await api(ctx, 'PUT', url(other.organizationId, student.id), other.admin.auth, PROFILE)
  t.equal(wrongOrg.status, 404, 'a student of another organization, asked for in one\'s own')
  t.equal(wrongOrg.body.error.code, 'AUTH_STUDENT_NOT_FOUND')
  const notStudent = await api(ctx, 'PUT', url(organizationId, teacher.id), admin.auth, PROFILE)
  t.equal(notStudent.status, 404, 'a teacher has no accommodation profile')
  t.equal(notStudent.body.error.code, 'AUTH_STUDENT_NOT_FOUND')
  t.equal((await api(ctx, 'PUT', url(organizationId, student.id), {}, PROFILE)).status, 401)
  await nothingWritten(t, ctx)
})

t.test('bad input is a 400 in the error model and writes nothing', async (t) => {
  const ctx = await buildAuth(t)
  const { organizationId, admin, student } = await school(ctx)
  const bad: Array<[string, unknown]> = [
    ['a multiplier below 1', { ...PROFILE, timeMultiplier: 0.5 }],
    ['a multiplier above 4', { ...PROFILE, timeMultiplier: 4.5 }],
    ['a multiplier as a string', { ...PROFILE, timeMultiplier: '2' }],
    ['negative breaks', { ...PROFILE, extraBreaks: -1 }],
    ['too many breaks', { ...PROFILE, extraBreaks: 11 }],
    ['fractional breaks', { ...PROFILE, extraBreaks: 1.5 }],
    ['an unknown flag', { ...PROFILE, flags: ['read_aloud', 'mind_reading'] }],
    ['a flag twice', { ...PROFILE, flags: ['read_aloud', 'read_aloud'] }],
    ['a field of its own', { ...PROFILE, notes: 'x' }],
    ['a missing field', { timeMultiplier: 2, extraBreaks: 0 }]
  ]
  for (const [what, body] of bad) {
    const res = await api(ctx, 'PUT', url(organizationId, student.id), admin.auth, body)
    t.equal(res.status, 400, what)
    t.equal(res.body.error.code, 'VALIDATION_FAILED', what)
  }
  t.equal((await api(ctx, 'PUT', url(organizationId, 'not-a-uuid'), admin.auth, PROFILE)).status, 400, 'a malformed id')
  await nothingWritten(t, ctx)
})
