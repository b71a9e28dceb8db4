// Bad input on every route for accounts, organizations and classrooms: a 4xx in the error model, never a 5xx,
// and nothing written.
import t from 'tap'
import { buildAuth } from '../../helper.js'
import { api, classroom, school, type Ctx } from '../../organization-fixtures.js'

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE'
type Case = [name: string, who: 'admin' | 'teacher' | 'student', method: Method, url: string, payload?: string]

const json = (v: unknown) => JSON.stringify(v)

function cases (org: string, user: string, room: string): Case[] {
  return [
    ['create organization: missing fields', 'admin', 'POST', '/auth/organizations', json({ name: 'X' })],
    ['create organization: extra field', 'admin', 'POST', '/auth/organizations', json({ name: 'X', adminEmail: 'a@example.org', id: org })],
    ['create organization: wrong types', 'admin', 'POST', '/auth/organizations', json({ name: 1, adminEmail: ['a@example.org'] })],
    ['create organization: blank name', 'admin', 'POST', '/auth/organizations', json({ name: '  ', adminEmail: 'a@example.org' })],
    ['create organization: control characters', 'admin', 'POST', '/auth/organizations', json({ name: 'A\u0000B', adminEmail: 'a@example.org' })],
    ['create organization: name too long', 'admin', 'POST', '/auth/organizations', json({ name: 'x'.repeat(201), adminEmail: 'a@example.org' })],
    ['create organization: not an email', 'admin', 'POST', '/auth/organizations', json({ name: 'X', adminEmail: 'nope' })],
    ['create organization: malformed JSON', 'admin', 'POST', '/auth/organizations', '{"name":'],
    ['create organization: null body', 'admin', 'POST', '/auth/organizations', 'null'],
    ['list users: malformed id', 'admin', 'GET', '/auth/organizations/not-a-uuid/users'],
    ['list users: limit 0', 'admin', 'GET', `/auth/organizations/${org}/users?limit=0`],
    ['list users: limit 101', 'admin', 'GET', `/auth/organizations/${org}/users?limit=101`],
    ['list users: limit not a number', 'admin', 'GET', `/auth/organizations/${org}/users?limit=ten`],
    ['list users: malformed cursor', 'admin', 'GET', `/auth/organizations/${org}/users?cursor=1'%20or%201=1`],
    ['list users: unknown parameter', 'admin', 'GET', `/auth/organizations/${org}/users?role=admin`],
    ['invite: missing role', 'admin', 'POST', `/auth/organizations/${org}/invitations`, json({ email: 'a@example.org' })],
    ['invite: student is not a role to invite', 'admin', 'POST', `/auth/organizations/${org}/invitations`, json({ email: 'a@example.org', role: 'student' })],
    ['invite: unknown role', 'admin', 'POST', `/auth/organizations/${org}/invitations`, json({ email: 'a@example.org', role: 'superadmin' })],
    ['invite: extra field', 'admin', 'POST', `/auth/organizations/${org}/invitations`, json({ email: 'a@example.org', role: 'teacher', organizationId: org })],
    ['invite: wrong type', 'admin', 'POST', `/auth/organizations/${org}/invitations`, json({ email: 42, role: 'teacher' })],
    ['invite: not an email', 'admin', 'POST', `/auth/organizations/${org}/invitations`, json({ email: 'a@b@c', role: 'teacher' })],
    ['invite: address too long', 'admin', 'POST', `/auth/organizations/${org}/invitations`, json({ email: `${'a'.repeat(250)}@example.org`, role: 'teacher' })],
    ['invite: malformed id', 'admin', 'POST', '/auth/organizations/123/invitations', json({ email: 'a@example.org', role: 'teacher' })],
    ['invite: malformed JSON', 'admin', 'POST', `/auth/organizations/${org}/invitations`, '{"email":'],
    ['list invitations: limit 101', 'admin', 'GET', `/auth/organizations/${org}/invitations?limit=101`],
    ['list invitations: malformed cursor', 'admin', 'GET', `/auth/organizations/${org}/invitations?cursor=x`],
    ['withdraw: malformed invitation id', 'admin', 'DELETE', `/auth/organizations/${org}/invitations/x`],
    ['withdraw: unknown invitation', 'admin', 'DELETE', `/auth/organizations/${org}/invitations/${user}`],
    ['my invitations: limit 0', 'student', 'GET', '/auth/me/invitations?limit=0'],
    ['my invitations: unknown parameter', 'student', 'GET', '/auth/me/invitations?organizationId=x'],
    ['accept: malformed id', 'student', 'POST', '/auth/me/invitations/%27%20or%201=1/accept'],
    ['accept: unknown invitation', 'student', 'POST', `/auth/me/invitations/${user}/accept`],
    ['decline: malformed id', 'student', 'POST', '/auth/me/invitations/1/decline'],
    ['decline: unknown invitation', 'student', 'POST', `/auth/me/invitations/${user}/decline`],
    ['change role: missing role', 'admin', 'PATCH', `/auth/organizations/${org}/members/${user}`, json({})],
    ['change role: unknown role', 'admin', 'PATCH', `/auth/organizations/${org}/members/${user}`, json({ role: 'root' })],
    ['change role: extra field', 'admin', 'PATCH', `/auth/organizations/${org}/members/${user}`, json({ role: 'admin', disabledAt: null })],
    ['change role: role of the wrong type', 'admin', 'PATCH', `/auth/organizations/${org}/members/${user}`, json({ role: ['admin'] })],
    ['change role: malformed user id', 'admin', 'PATCH', `/auth/organizations/${org}/members/..%2F..%2Fetc`, json({ role: 'admin' })],
    ['change role: malformed organization id', 'admin', 'PATCH', `/auth/organizations/x/members/${user}`, json({ role: 'admin' })],
    ['change role: malformed JSON', 'admin', 'PATCH', `/auth/organizations/${org}/members/${user}`, '{role:admin}'],
    ['disable: malformed id', 'admin', 'POST', '/auth/users/%00/disable'],
    ['disable: a uuid too long', 'admin', 'POST', `/auth/users/${user}0/disable`],
    ['create classroom: missing name', 'teacher', 'POST', '/auth/classrooms', json({})],
    ['create classroom: blank name', 'teacher', 'POST', '/auth/classrooms', json({ name: '   ' })],
    ['create classroom: name too long', 'teacher', 'POST', '/auth/classrooms', json({ name: 'x'.repeat(201) })],
    ['create classroom: wrong type', 'teacher', 'POST', '/auth/classrooms', json({ name: 7 })],
    ['create classroom: extra field', 'teacher', 'POST', '/auth/classrooms', json({ name: 'A', joinCode: 'AAAAAAAAAA' })],
    ['create classroom: unsupported content type', 'teacher', 'POST', '/auth/classrooms', 'name,A'],
    ['list classrooms: limit -1', 'teacher', 'GET', '/auth/classrooms?limit=-1'],
    ['list classrooms: malformed cursor', 'teacher', 'GET', '/auth/classrooms?cursor=abc'],
    ['list classrooms: unknown parameter', 'teacher', 'GET', '/auth/classrooms?teacherId=x'],
    ['read classroom: malformed id', 'teacher', 'GET', '/auth/classrooms/12345'],
    ['renew code: malformed id', 'teacher', 'POST', '/auth/classrooms/not-a-uuid/join-code'],
    ['remove member: malformed classroom id', 'teacher', 'DELETE', `/auth/classrooms/x/members/${user}`],
    ['remove member: malformed user id', 'teacher', 'DELETE', `/auth/classrooms/${room}/members/x`],
    ['join: missing code', 'student', 'POST', '/auth/classrooms/join', json({})],
    ['join: code of the wrong type', 'student', 'POST', '/auth/classrooms/join', json({ code: 1234567890 })],
    ['join: empty code', 'student', 'POST', '/auth/classrooms/join', json({ code: '' })],
    ['join: a 10 000-character code', 'student', 'POST', '/auth/classrooms/join', json({ code: 'A'.repeat(10000) })],
    ['join: extra field', 'student', 'POST', '/auth/classrooms/join', json({ code: 'AAAAAAAAAA', classroomId: room })],
    ['join: malformed JSON', 'student', 'POST', '/auth/classrooms/join', '{"code"'],
    ['join: not an object', 'student', 'POST', '/auth/classrooms/join', '"AAAAAAAAAA"']
  ]
}

async function counts (ctx: Ctx) {
  const [row] = await ctx.sql`select (select count(*)::int from auth.users) as users, (select count(*)::int from auth.organizations) as orgs,
    (select count(*)::int from auth.classrooms) as classrooms, (select count(*)::int from auth.classroom_members) as members,
    (select count(*)::int from auth.outbox) as events, (select count(*)::int from auth.invitations) as invitations, (select string_agg(role::text || coalesce(disabled_at::text, ''), ',' order by id) from auth.users) as roles`
  return row
}

t.test('bad input on every new route gets a 4xx in the error model and writes nothing', async (t) => {
  const ctx = await buildAuth(t)
  const s = await school(ctx)
  const room = await classroom(ctx, s.teacher)
  const before = await counts(ctx)
  for (const [name, who, method, url, payload] of cases(s.organizationId, s.student.id, room.id)) {
    const contentType = payload === 'name,A' ? 'text/csv' : 'application/json'
    const res = await ctx.app.inject({ method, url, headers: { ...s[who].auth, ...(payload === undefined ? {} : { 'content-type': contentType }) }, ...(payload === undefined ? {} : { payload }) })
    t.ok(res.statusCode >= 400 && res.statusCode < 500, `${name}: ${res.statusCode}`)
    const body = res.json()
    t.type(body.error?.code, 'string', `${name}: code`)
    t.type(body.error?.message, 'string', `${name}: message`)
    t.type(body.error?.requestId, 'string', `${name}: request id`)
  }
  t.same(await counts(ctx), before)
})

t.test('a validation error names the field', async (t) => {
  const ctx = await buildAuth(t)
  const s = await school(ctx)
  const res = await api(ctx, 'POST', `/auth/organizations/${s.organizationId}/invitations`, s.admin.auth, { email: 'a@example.org', role: 'owner' })
  t.equal(res.status, 400)
  t.equal(res.body.error.code, 'VALIDATION_FAILED')
  t.match(res.body.error.details, [{ path: /role/ }])
})
