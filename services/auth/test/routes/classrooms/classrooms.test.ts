import t from 'tap'
import { buildAuth, login } from '../../helper.js'
import { api, classroom, eventsOf, insertClassrooms, insertMembers, insertUsers, member, movableClock, queriesOf, school } from '../../organization-fixtures.js'

const CODE = /^[0-9A-HJKMNP-TV-Z]{10}$/

t.test('a teacher creates a classroom and gets a join code that stays out of the event', async (t) => {
  const ctx = await buildAuth(t)
  const { organizationId, teacher } = await school(ctx)
  const res = await api(ctx, 'POST', '/auth/classrooms', teacher.auth, { name: '  Algebra 1  ' })
  t.equal(res.status, 201)
  const created = res.body as { id: string, joinCode: string }
  t.match(created, { name: 'Algebra 1', organizationId, teacher: { id: teacher.id, displayName: teacher.displayName }, memberCount: 0, createdAt: String })
  t.match(created.joinCode, CODE, '10 characters of Crockford base32')
  const [row] = await ctx.sql`select organization_id, teacher_id, join_code from auth.classrooms where id = ${created.id}`
  t.same({ ...row }, { organization_id: organizationId, teacher_id: teacher.id, join_code: created.joinCode })
  t.match(await eventsOf(ctx, 'classroom.created'), [{ classroomId: created.id, organizationId, teacherId: teacher.id, name: 'Algebra 1' }])
  const [envelope] = await ctx.sql`select envelope::text as e from auth.outbox where type = 'classroom.created'`
  t.notOk((envelope?.e as string).includes(created.joinCode), 'the join code is not in the event')

  const codes = new Set([created.joinCode])
  for (let i = 0; i < 10; i++) codes.add((await classroom(ctx, teacher, `Class ${i}`)).joinCode)
  t.equal(codes.size, 11, 'each classroom has its own code')
})

t.test('who may create a classroom: not a student (403), not without a token (401), not a teacher in no organization (403)', async (t) => {
  const ctx = await buildAuth(t)
  const { admin, student } = await school(ctx)
  const loneTeacher = await member(ctx, 'teacher', null)
  t.equal((await api(ctx, 'POST', '/auth/classrooms', student.auth, { name: 'X' })).status, 403)
  t.equal((await api(ctx, 'POST', '/auth/classrooms', {}, { name: 'X' })).status, 401)
  const lone = await api(ctx, 'POST', '/auth/classrooms', loneTeacher.auth, { name: 'X' })
  t.equal(lone.status, 403)
  t.equal(lone.body.error.code, 'AUTH_NO_ORGANIZATION')
  t.equal((await ctx.sql`select count(*)::int as n from auth.classrooms`)[0]?.n, 0)
  t.equal((await api(ctx, 'POST', '/auth/classrooms', admin.auth, { name: 'Staff room' })).status, 201, 'an admin may')
})

t.test('a student joins with the code (any case, with dashes) and enters the classroom\'s organization', async (t) => {
  const clock = movableClock()
  const ctx = await buildAuth(t, {}, { now: clock.now })
  const { organizationId, teacher } = await school(ctx)
  const room = await classroom(ctx, teacher)
  const newcomer = await member(ctx, 'student', null)
  const typed = `${room.joinCode.slice(0, 5)}-${room.joinCode.slice(5)}`.toLowerCase()
  const res = await api(ctx, 'POST', '/auth/classrooms/join', { ...newcomer.auth, 'x-request-id': 'join-1' }, { code: typed })
  t.equal(res.status, 200)
  t.same(res.body, { classroom: { id: room.id, name: 'Algebra 1', organizationId }, alreadyMember: false, joinedOrganization: true })
  t.equal((await ctx.sql`select organization_id from auth.users where id = ${newcomer.id}`)[0]?.organization_id, organizationId)
  t.equal((await ctx.sql`select count(*)::int as n from auth.classroom_members where classroom_id = ${room.id} and user_id = ${newcomer.id}`)[0]?.n, 1)
  t.match(await eventsOf(ctx, 'classroom.member.added'), [{ classroomId: room.id, organizationId, userId: newcomer.id, role: 'student', joinedAt: String }])
  t.same(await eventsOf(ctx, 'organization.member.added'), [{ organizationId, userId: newcomer.id, role: 'student', source: 'classroom', addedBy: newcomer.id }])
  const [envelope] = await ctx.sql`select envelope::text as e from auth.outbox where type = 'classroom.member.added'`
  t.notOk((envelope?.e as string).includes(room.joinCode), 'no join code in the event')

  const again = await api(ctx, 'POST', '/auth/classrooms/join', newcomer.auth, { code: room.joinCode })
  t.equal(again.status, 200, 'joining twice is harmless, even with the token that predates the organization')
  t.same(again.body, { classroom: { id: room.id, name: 'Algebra 1', organizationId }, alreadyMember: true, joinedOrganization: false })
  t.equal((await eventsOf(ctx, 'classroom.member.added')).length, 1)

  const list = await api(ctx, 'GET', '/auth/classrooms', newcomer.auth)
  t.equal(list.status, 200)
  const seen = (list.body as { classrooms: Array<Record<string, unknown>> }).classrooms
  t.match(seen, [{ id: room.id, name: 'Algebra 1', memberCount: 1 }], 'the student sees the classrooms they belong to')
  t.notOk('joinCode' in seen[0]!, 'without the join code')

  clock.advance(1500)
  const fresh = await login(ctx, newcomer)
  const me = await api(ctx, 'GET', '/auth/me', fresh.auth)
  t.equal(me.body.organizationId, organizationId, 'a new token carries the organization')
})

t.test('a student of another organization gets 403; a bad or unknown code 404; teachers do not join', async (t) => {
  const ctx = await buildAuth(t)
  const { teacher } = await school(ctx)
  const other = await school(ctx, 'Other')
  const room = await classroom(ctx, teacher)
  const res = await api(ctx, 'POST', '/auth/classrooms/join', other.student.auth, { code: room.joinCode })
  t.equal(res.status, 403)
  t.equal(res.body.error.code, 'AUTH_OTHER_ORGANIZATION')
  for (const code of ['0000000000', 'ABC', 'UUUUUUUUUU', '!!!!!!!!!!']) {
    const bad = await api(ctx, 'POST', '/auth/classrooms/join', other.student.auth, { code })
    t.equal(bad.status, 404, code)
    t.equal(bad.body.error.code, 'AUTH_JOIN_CODE_INVALID')
  }
  t.equal((await api(ctx, 'POST', '/auth/classrooms/join', other.teacher.auth, { code: room.joinCode })).status, 403)
  t.equal((await api(ctx, 'POST', '/auth/classrooms/join', {}, { code: room.joinCode })).status, 401)
  t.equal((await ctx.sql`select count(*)::int as n from auth.classroom_members`)[0]?.n, 0)
})

t.test('a classroom holds at most 500 members', async (t) => {
  const ctx = await buildAuth(t)
  const { organizationId, teacher, student } = await school(ctx)
  const room = await classroom(ctx, teacher)
  await insertMembers(ctx, room.id, await insertUsers(ctx, 500, 'student', organizationId))
  const res = await api(ctx, 'POST', '/auth/classrooms/join', student.auth, { code: room.joinCode })
  t.equal(res.status, 409)
  t.equal(res.body.error.code, 'AUTH_CLASSROOM_FULL')
})

t.test('a teacher lists their classrooms, an admin all of the organization\'s', async (t) => {
  const ctx = await buildAuth(t)
  const { organizationId, admin, teacher } = await school(ctx)
  const colleague = await member(ctx, 'teacher', organizationId)
  const mine = [await classroom(ctx, teacher, 'A'), await classroom(ctx, teacher, 'B')]
  const theirs = await classroom(ctx, colleague, 'C')
  const other = await school(ctx, 'Other')
  await classroom(ctx, other.teacher, 'D')

  const teacherList = await api(ctx, 'GET', '/auth/classrooms', teacher.auth)
  t.same((teacherList.body as { classrooms: Array<{ id: string }> }).classrooms.map((c) => c.id), mine.map((c) => c.id))
  t.same((teacherList.body as { classrooms: Array<{ joinCode: string }> }).classrooms.map((c) => c.joinCode), mine.map((c) => c.joinCode), 'with their codes')
  const adminList = await api(ctx, 'GET', '/auth/classrooms', admin.auth)
  t.same((adminList.body as { classrooms: Array<{ id: string }> }).classrooms.map((c) => c.id), [...mine, theirs].map((c) => c.id))

  const first = await api(ctx, 'GET', '/auth/classrooms?limit=2', admin.auth)
  t.equal(first.body.classrooms.length, 2)
  const second = await api(ctx, 'GET', `/auth/classrooms?limit=2&cursor=${first.body.nextCursor as string}`, admin.auth)
  t.same(second.body.classrooms.map((c: { id: string }) => c.id), [theirs.id])
  t.equal(second.body.nextCursor, null)
  t.equal((await api(ctx, 'GET', '/auth/classrooms')).status, 401)
})

t.test('a teacher sees one classroom with its members, renews its code, and removes a member', async (t) => {
  const ctx = await buildAuth(t)
  const { organizationId, admin, teacher, student } = await school(ctx)
  const room = await classroom(ctx, teacher)
  t.equal((await api(ctx, 'POST', '/auth/classrooms/join', student.auth, { code: room.joinCode })).status, 200)

  const seen = await api(ctx, 'GET', `/auth/classrooms/${room.id}`, teacher.auth)
  t.equal(seen.status, 200)
  t.match(seen.body, { id: room.id, joinCode: room.joinCode, memberCount: 1, members: [{ userId: student.id, email: student.email, displayName: student.displayName, role: 'student', joinedAt: String }] })
  t.equal((await api(ctx, 'GET', `/auth/classrooms/${room.id}`, admin.auth)).status, 200, 'an admin of the organization sees it too')
  const colleague = await member(ctx, 'teacher', organizationId)
  const forbidden = await api(ctx, 'GET', `/auth/classrooms/${room.id}`, colleague.auth)
  t.equal(forbidden.status, 403, 'a colleague does not')
  t.equal(forbidden.body.error.code, 'AUTH_NOT_CLASSROOM_TEACHER')
  t.equal((await api(ctx, 'GET', `/auth/classrooms/${room.id}`, student.auth)).status, 403, 'nor a student')

  const renewed = await api(ctx, 'POST', `/auth/classrooms/${room.id}/join-code`, teacher.auth)
  t.equal(renewed.status, 200)
  t.match(renewed.body.joinCode, CODE)
  t.not(renewed.body.joinCode, room.joinCode)
  const late = await member(ctx, 'student', null)
  t.equal((await api(ctx, 'POST', '/auth/classrooms/join', late.auth, { code: room.joinCode })).status, 404, 'the old code stops working')
  t.equal((await api(ctx, 'POST', '/auth/classrooms/join', late.auth, { code: renewed.body.joinCode as string })).status, 200, 'the new one works')
  t.equal((await api(ctx, 'POST', `/auth/classrooms/${room.id}/join-code`, colleague.auth)).status, 403)

  const removed = await api(ctx, 'DELETE', `/auth/classrooms/${room.id}/members/${student.id}`, teacher.auth)
  t.equal(removed.status, 204)
  t.equal((await ctx.sql`select count(*)::int as n from auth.classroom_members where user_id = ${student.id}`)[0]?.n, 0)
  t.equal((await ctx.sql`select organization_id from auth.users where id = ${student.id}`)[0]?.organization_id, organizationId, 'the student stays in the organization')
  t.match(await eventsOf(ctx, 'classroom.member.removed'), [{ classroomId: room.id, organizationId, userId: student.id, role: 'student', removedBy: teacher.id, removedAt: String }])
  const again = await api(ctx, 'DELETE', `/auth/classrooms/${room.id}/members/${student.id}`, teacher.auth)
  t.equal(again.status, 404)
  t.equal(again.body.error.code, 'AUTH_CLASSROOM_MEMBER_NOT_FOUND')
  t.equal((await api(ctx, 'DELETE', `/auth/classrooms/${room.id}/members/${late.id}`, colleague.auth)).status, 403, 'a colleague cannot remove')
  t.equal((await api(ctx, 'DELETE', `/auth/classrooms/${room.id}/members/${late.id}`, admin.auth)).status, 204, 'an admin can')
})

t.test('classroom lists cost the same number of queries for 1 row as for 30', async (t) => {
  const ctx = await buildAuth(t)
  const small = await school(ctx, 'Small')
  const large = await school(ctx, 'Large')
  const smallRoom = await classroom(ctx, small.teacher)
  await insertMembers(ctx, smallRoom.id, [small.student.id])
  const [largeRoom] = await insertClassrooms(ctx, 30, large.organizationId, large.teacher.id)
  const bulk = await insertUsers(ctx, 29, 'student', large.organizationId)
  await insertMembers(ctx, largeRoom!, [large.student.id, ...bulk])
  for (const id of (await insertClassrooms(ctx, 29, large.organizationId, large.teacher.id))) await insertMembers(ctx, id, [large.student.id])

  const cases: Array<[string, () => Promise<unknown>, () => Promise<unknown>]> = [
    ['teacher list', async () => await api(ctx, 'GET', '/auth/classrooms?limit=30', small.teacher.auth), async () => await api(ctx, 'GET', '/auth/classrooms?limit=30', large.teacher.auth)],
    ['admin list', async () => await api(ctx, 'GET', '/auth/classrooms?limit=30', small.admin.auth), async () => await api(ctx, 'GET', '/auth/classrooms?limit=30', large.admin.auth)],
    ['student list', async () => await api(ctx, 'GET', '/auth/classrooms?limit=30', small.student.auth), async () => await api(ctx, 'GET', '/auth/classrooms?limit=30', large.student.auth)],
    ['members', async () => await api(ctx, 'GET', `/auth/classrooms/${smallRoom.id}`, small.teacher.auth), async () => await api(ctx, 'GET', `/auth/classrooms/${largeRoom!}`, large.teacher.auth)]
  ]
  const sizes = [
    (await api(ctx, 'GET', '/auth/classrooms?limit=30', large.teacher.auth)).body.classrooms.length,
    (await api(ctx, 'GET', '/auth/classrooms?limit=30', large.student.auth)).body.classrooms.length,
    (await api(ctx, 'GET', `/auth/classrooms/${largeRoom!}`, large.teacher.auth)).body.members.length
  ]
  t.same(sizes, [30, 30, 30], 'the large side has 30 rows')
  for (const [name, one, thirty] of cases) {
    t.equal(await queriesOf(ctx, one), await queriesOf(ctx, thirty), name)
  }
})

t.test('the relay puts organization and classroom events on ORGANIZATIONS, role and disable events on USERS', async (t) => {
  const ctx = await buildAuth(t)
  const { organizationId, admin, teacher } = await school(ctx)
  const room = await classroom(ctx, teacher)
  const newcomer = await member(ctx, 'student', null)
  t.equal((await api(ctx, 'POST', '/auth/classrooms/join', newcomer.auth, { code: room.joinCode })).status, 200)
  t.equal((await api(ctx, 'PATCH', `/auth/organizations/${organizationId}/members/${teacher.id}`, admin.auth, { role: 'admin' })).status, 200)
  t.equal((await api(ctx, 'POST', `/auth/users/${newcomer.id}/disable`, admin.auth)).status, 200)
  const { waitFor } = await import('@dreamseed/testing')
  await waitFor(async () => (await ctx.sql`select count(*)::int as n from auth.outbox where published_at is null`)[0]?.n === 0, { what: 'every event published' })

  const { connect } = await import('@nats-io/transport-node')
  const { jetstreamManager } = await import('@nats-io/jetstream')
  const nc = await connect({ servers: ctx.config.natsUrl })
  t.teardown(async () => { await nc.close() })
  const jsm = await jetstreamManager(nc)
  const subjects = async (stream: string) => Object.keys((await jsm.streams.info(`${ctx.prefix.toUpperCase()}_${stream}`, { subjects_filter: '>' })).state.subjects ?? {}).sort()
  t.same(await subjects('ORGANIZATIONS'), ['classroom.created.v1', 'classroom.member.added.v1', 'organization.member.added.v1'].map((s) => `${ctx.prefix}.${s}`))
  const users = await subjects('USERS')
  t.ok(users.includes(`${ctx.prefix}.user.role.changed.v1`))
  t.ok(users.includes(`${ctx.prefix}.user.disabled.v1`))
})
