import t from 'tap'
import { buildAuth, login } from '../../helper.js'
import { api, eventsOf, insertUsers, invite, member, movableClock, queriesOf, school } from '../../organization-fixtures.js'

t.test('an admin creates an organization inviting its first admin, who becomes its admin on accepting; the creator stays in their own', async (t) => {
  const clock = movableClock()
  const ctx = await buildAuth(t, {}, { now: clock.now })
  const { organizationId, admin } = await school(ctx)
  const principal = await member(ctx, 'teacher', null)
  const res = await api(ctx, 'POST', '/auth/organizations', { ...admin.auth, 'x-request-id': 'org-1' }, { name: 'Shelbyville Elementary', adminEmail: principal.email.toUpperCase() })
  t.equal(res.status, 201)
  const created = res.body as { id: string, name: string, createdBy: string, invitation: { id: string } }
  t.match(created, { name: 'Shelbyville Elementary', createdBy: admin.id, invitation: { id: String, organizationId: created.id, email: principal.email, role: 'admin', expiresAt: String } })
  t.notOk('admin' in created, 'the answer names no account')

  const [org] = await ctx.sql`select name, created_by from auth.organizations where id = ${created.id}`
  t.same({ ...org }, { name: 'Shelbyville Elementary', created_by: admin.id })
  const before = await ctx.sql`select role, organization_id from auth.users where id = ${principal.id}`
  t.same({ ...before[0] }, { role: 'teacher', organization_id: null }, 'the named account is in no organization until it accepts')
  t.match(await eventsOf(ctx, 'organization.created'), [{ organizationId: created.id, name: 'Shelbyville Elementary', createdBy: admin.id, createdAt: String }])
  t.match(await eventsOf(ctx, 'user.invited'), [{ invitationId: created.invitation.id, email: principal.email, organizationId: created.id, organizationName: 'Shelbyville Elementary', role: 'admin', invitedBy: admin.id }])
  t.same(await eventsOf(ctx, 'organization.member.added'), [])

  clock.advance(5)
  const accepted = await api(ctx, 'POST', `/auth/me/invitations/${created.invitation.id}/accept`, principal.auth)
  t.equal(accepted.status, 200)
  t.same(accepted.body, { organization: { id: created.id, name: 'Shelbyville Elementary' }, role: 'admin' })
  const [first] = await ctx.sql`select role, organization_id from auth.users where id = ${principal.id}`
  t.same({ ...first }, { role: 'admin', organization_id: created.id }, 'the account that accepted is the new organization\'s admin')
  const [creator] = await ctx.sql`select role, organization_id from auth.users where id = ${admin.id}`
  t.same({ ...creator }, { role: 'admin', organization_id: organizationId }, 'the creator is still admin of their own')

  t.same(await eventsOf(ctx, 'organization.member.added'), [{ organizationId: created.id, userId: principal.id, role: 'admin', source: 'admin', addedBy: admin.id }])
  t.match(await eventsOf(ctx, 'user.role.changed'), [{ userId: principal.id, organizationId: created.id, previousRole: 'teacher', role: 'admin', changedBy: admin.id }])
  const [envelope] = await ctx.sql`select envelope->>'requestId' as r from auth.outbox where type = 'organization.created'`
  t.equal(envelope?.r, 'org-1', 'the request id travels with the events')
  const audit = await ctx.sql`select action, actor_id, subject_user_id, organization_id from auth.audit_log where action in ('organization.create', 'organization.invite', 'organization.add_member', 'role.change', 'invitation.accept') order by id`
  t.same(audit.map((a) => a.action), ['organization.create', 'organization.invite', 'organization.add_member', 'role.change', 'invitation.accept'])
  t.ok(audit.every((a) => a.organization_id === created.id))
  t.same(audit.map((a) => a.actor_id), [admin.id, admin.id, admin.id, admin.id, principal.id], 'the admin chose the role; the owner accepted')

  const stale = await api(ctx, 'GET', '/auth/me', principal.auth)
  t.equal(stale.status, 401, 'the new admin\'s old token (no organization in it) is refused')
  t.equal(stale.body.error.code, 'AUTH_SESSION_REVOKED')
  clock.advance(5)
  const fresh = await login(ctx, principal)
  t.equal((await api(ctx, 'GET', `/auth/organizations/${created.id}/users`, fresh.auth)).status, 200, 'signed in again, the new admin manages the new organization')
  t.equal((await api(ctx, 'GET', `/auth/organizations/${created.id}/users`, admin.auth)).status, 403, 'and the creator does not')
})

t.test('creating an organization answers the same whatever its first admin\'s address; only a verified account in no organization can accept', async (t) => {
  const ctx = await buildAuth(t)
  const { admin, teacher } = await school(ctx)
  const elsewhere = await school(ctx, 'Elsewhere')
  await ctx.sql`insert into auth.users (id, email, password_hash, display_name, role) values (gen_random_uuid(), 'unverified@example.org', 'x', 'U', 'teacher')`
  const answers = []
  for (const email of ['nobody@example.org', 'unverified@example.org', teacher.email, elsewhere.teacher.email, admin.email]) {
    const res = await api(ctx, 'POST', '/auth/organizations', admin.auth, { name: 'New School', adminEmail: email })
    answers.push({ status: res.status, keys: Object.keys(res.body as object).sort(), invitation: Object.keys(res.body.invitation as object).sort(), role: res.body.invitation.role })
  }
  t.same(answers, Array(5).fill({ status: 201, keys: ['createdAt', 'createdBy', 'id', 'invitation', 'name'], invitation: ['email', 'expiresAt', 'id', 'organizationId', 'role'], role: 'admin' }), 'one answer for unknown, unverified, member and other organization\'s addresses')
  t.equal((await eventsOf(ctx, 'user.invited')).length, 5, 'each address is mailed the same way')
  const invitation = async (email: string): Promise<string> => (await ctx.sql`select id from auth.invitations where email = ${email}`)[0]?.id as string
  for (const [who, m, code] of [['a member of the creator\'s organization', teacher, 'AUTH_ALREADY_IN_ORGANIZATION'], ['a member of another organization', elsewhere.teacher, 'AUTH_ALREADY_IN_ORGANIZATION']] as const) {
    const res = await api(ctx, 'POST', `/auth/me/invitations/${await invitation(m.email)}/accept`, m.auth)
    t.equal(res.status, 409, who)
    t.equal(res.body.error.code, code, who)
  }
  t.equal((await ctx.sql`select count(*)::int as n from auth.users where organization_id not in (${elsewhere.organizationId}, (select organization_id from auth.users where id = ${admin.id}))`)[0]?.n, 0, 'nobody entered a new organization')
  t.same(await eventsOf(ctx, 'organization.member.added'), [])
})

t.test('only an admin may create an organization; no token gets 401', async (t) => {
  const ctx = await buildAuth(t)
  const { teacher, student } = await school(ctx)
  const body = { name: 'X', adminEmail: 'x@example.org' }
  t.equal((await api(ctx, 'POST', '/auth/organizations', {}, body)).status, 401)
  t.equal((await api(ctx, 'POST', '/auth/organizations', teacher.auth, body)).status, 403)
  t.equal((await api(ctx, 'POST', '/auth/organizations', student.auth, body)).status, 403)
})

t.test('an admin lists their organization\'s users a page at a time, in a stable order', async (t) => {
  const ctx = await buildAuth(t)
  const { organizationId, admin, teacher, student } = await school(ctx)
  await insertUsers(ctx, 5, 'student', organizationId)
  await insertUsers(ctx, 3, 'student', null)
  const seen: string[] = []
  let cursor: string | null = null
  let pages = 0
  do {
    const res = await api(ctx, 'GET', `/auth/organizations/${organizationId}/users?limit=3${cursor === null ? '' : `&cursor=${cursor}`}`, admin.auth)
    t.equal(res.status, 200)
    const body = res.body as { users: Array<{ id: string, organizationId: string, email: string, role: string }>, nextCursor: string | null }
    t.ok(body.users.length <= 3)
    t.ok(body.users.every((u) => u.organizationId === organizationId))
    seen.push(...body.users.map((u) => u.id))
    cursor = body.nextCursor
    pages++
  } while (cursor !== null)
  t.equal(pages, 3)
  t.equal(seen.length, 8, 'every member once, no one from outside')
  t.same(seen, [...seen].sort(), 'ordered by id')
  t.ok([admin.id, teacher.id, student.id].every((id) => seen.includes(id)))
  const all = await api(ctx, 'GET', `/auth/organizations/${organizationId}/users`, admin.auth)
  t.same((all.body as { users: Array<{ id: string }> }).users.map((u) => u.id), seen, 'the default page holds them all, same order')
  t.equal(all.body.nextCursor, null)
  const hundred = await api(ctx, 'GET', `/auth/organizations/${organizationId}/users?limit=101`, admin.auth)
  t.equal(hundred.status, 400, 'limit is at most 100')
  t.equal((await api(ctx, 'GET', `/auth/organizations/${organizationId}/users`, teacher.auth)).status, 403, 'a teacher may not list')
  t.equal((await api(ctx, 'GET', `/auth/organizations/${organizationId}/users`)).status, 401)
})

t.test('listing users costs the same number of queries for 1 row as for 30', async (t) => {
  const ctx = await buildAuth(t)
  const { organizationId, admin } = await school(ctx)
  const other = await school(ctx, 'Other')
  await insertUsers(ctx, 27, 'student', other.organizationId)
  const one = await queriesOf(ctx, async () => await api(ctx, 'GET', `/auth/organizations/${organizationId}/users?limit=1`, admin.auth))
  const thirty = await queriesOf(ctx, async () => await api(ctx, 'GET', `/auth/organizations/${other.organizationId}/users?limit=30`, other.admin.auth))
  t.equal(one, thirty)
  t.equal(one, 1)
})

t.test('an invited account joins as a teacher when its owner accepts; its old tokens are refused', async (t) => {
  const clock = movableClock()
  const ctx = await buildAuth(t, {}, { now: clock.now })
  const { organizationId, admin } = await school(ctx)
  const newcomer = await member(ctx, 'teacher', null)
  const id = await invite(ctx, admin, organizationId, newcomer.email, 'teacher')
  t.equal((await ctx.sql`select organization_id from auth.users where id = ${newcomer.id}`)[0]?.organization_id, null, 'invited is not joined')
  clock.advance(5)
  const res = await api(ctx, 'POST', `/auth/me/invitations/${id}/accept`, newcomer.auth)
  t.equal(res.status, 200)
  t.match(res.body, { organization: { id: organizationId, name: 'Springfield High' }, role: 'teacher' })
  t.same(await eventsOf(ctx, 'organization.member.added'), [{ organizationId, userId: newcomer.id, role: 'teacher', source: 'admin', addedBy: admin.id }])
  t.same(await eventsOf(ctx, 'user.role.changed'), [], 'a teacher added as a teacher has no role change')
  const [audit] = await ctx.sql`select actor_id, subject_user_id, organization_id, details from auth.audit_log where action = 'organization.add_member'`
  t.same({ ...audit }, { actor_id: admin.id, subject_user_id: newcomer.id, organization_id: organizationId, details: { role: 'teacher', source: 'admin' } })
  t.equal((await api(ctx, 'GET', '/auth/me', newcomer.auth)).status, 401, 'its token without the organization is refused')
  clock.advance(1500)
  const fresh = await login(ctx, newcomer)
  t.equal((await api(ctx, 'POST', '/auth/classrooms', fresh.auth, { name: 'Biology' })).status, 201, 'signed in again, the teacher works in the organization')

  const again = await api(ctx, 'POST', `/auth/me/invitations/${await invite(ctx, admin, organizationId, newcomer.email, 'admin')}/accept`, fresh.auth)
  t.equal(again.status, 409)
  t.equal(again.body.error.code, 'AUTH_ALREADY_MEMBER')
})

t.test('accepting an invitation as an admin announces the role change', async (t) => {
  const ctx = await buildAuth(t)
  const { organizationId, admin } = await school(ctx)
  const student = await member(ctx, 'student', null)
  const res = await api(ctx, 'POST', `/auth/me/invitations/${await invite(ctx, admin, organizationId, student.email, 'admin')}/accept`, student.auth)
  t.equal(res.status, 200)
  t.match(await eventsOf(ctx, 'user.role.changed'), [{ userId: student.id, previousRole: 'student', role: 'admin', organizationId, changedBy: admin.id }])
  const [audit] = await ctx.sql`select details from auth.audit_log where action = 'role.change'`
  t.same(audit?.details, { from: 'student', to: 'admin' })
})

t.test('an admin promotes and demotes members: events, audit, and the member\'s old tokens refused', async (t) => {
  const clock = movableClock()
  const ctx = await buildAuth(t, {}, { now: clock.now })
  const { organizationId, admin, teacher } = await school(ctx)
  clock.advance(1000 - (clock.now().getTime() % 1000) + 50) // the change early in a second, the refresh below most likely in the same one
  const promote = await api(ctx, 'PATCH', `/auth/organizations/${organizationId}/members/${teacher.id}`, { ...admin.auth, 'user-agent': 'school-it' }, { role: 'admin' })
  t.equal(promote.status, 200)
  t.match(promote.body, { id: teacher.id, role: 'admin', organizationId })
  t.equal((await ctx.sql`select role from auth.users where id = ${teacher.id}`)[0]?.role, 'admin')
  t.match(await eventsOf(ctx, 'user.role.changed'), [{ userId: teacher.id, organizationId, previousRole: 'teacher', role: 'admin', changedBy: admin.id }])
  const [audit] = await ctx.sql`select actor_id, subject_user_id, organization_id, user_agent, details from auth.audit_log where action = 'role.change'`
  t.same({ ...audit }, { actor_id: admin.id, subject_user_id: teacher.id, organization_id: organizationId, user_agent: 'school-it', details: { from: 'teacher', to: 'admin' } })

  const stale = await api(ctx, 'GET', '/auth/classrooms', teacher.auth)
  t.equal(stale.status, 401)
  t.equal(stale.body.error.code, 'AUTH_SESSION_REVOKED', 'the token with the old role is refused')
  clock.advance(5)
  const refreshed = await ctx.app.inject({ method: 'POST', url: '/auth/token', payload: { sessionToken: teacher.sessionToken } })
  t.equal(refreshed.statusCode, 200, 'the session lives on; a refresh carries the new role')
  t.equal((await api(ctx, 'GET', '/auth/me', { authorization: `Bearer ${refreshed.json().accessToken as string}` })).status, 200, 'a token issued after the change is accepted, even within its second')
  const auth = { authorization: `Bearer ${refreshed.json().accessToken as string}` }
  t.equal((await api(ctx, 'GET', `/auth/organizations/${organizationId}/users`, auth)).status, 200, 'and the new admin acts as one')

  const same = await api(ctx, 'PATCH', `/auth/organizations/${organizationId}/members/${teacher.id}`, admin.auth, { role: 'admin' })
  t.equal(same.status, 200, 'the same role again changes nothing')
  t.equal((await eventsOf(ctx, 'user.role.changed')).length, 1)

  const demote = await api(ctx, 'PATCH', `/auth/organizations/${organizationId}/members/${teacher.id}`, admin.auth, { role: 'student' })
  t.equal(demote.status, 200)
  t.equal((await api(ctx, 'GET', `/auth/organizations/${organizationId}/users`, auth)).status, 401, 'the demoted admin\'s token is refused at once')
  t.equal((await eventsOf(ctx, 'user.role.changed')).length, 2)
})

t.test('an admin cannot change their own role; an unknown member is 404; a teacher may not change roles', async (t) => {
  const ctx = await buildAuth(t)
  const { organizationId, admin, teacher, student } = await school(ctx)
  const own = await api(ctx, 'PATCH', `/auth/organizations/${organizationId}/members/${admin.id}`, admin.auth, { role: 'teacher' })
  t.equal(own.status, 403)
  t.equal(own.body.error.code, 'AUTH_OWN_ACCOUNT')
  const outsider = await member(ctx, 'student', null)
  const unknown = await api(ctx, 'PATCH', `/auth/organizations/${organizationId}/members/${outsider.id}`, admin.auth, { role: 'teacher' })
  t.equal(unknown.status, 404)
  t.equal(unknown.body.error.code, 'AUTH_USER_NOT_FOUND')
  t.equal((await api(ctx, 'PATCH', `/auth/organizations/${organizationId}/members/${student.id}`, teacher.auth, { role: 'teacher' })).status, 403)
  t.equal((await api(ctx, 'PATCH', `/auth/organizations/${organizationId}/members/${student.id}`, {}, { role: 'teacher' })).status, 401)
  t.equal((await ctx.sql`select role from auth.users where id = ${student.id}`)[0]?.role, 'student')
})

t.test('two admins demoting each other at once leave the organization with an admin', async (t) => {
  const ctx = await buildAuth(t)
  const { organizationId, admin } = await school(ctx)
  const second = await member(ctx, 'admin', organizationId)
  const [a, b] = await Promise.all([
    api(ctx, 'PATCH', `/auth/organizations/${organizationId}/members/${second.id}`, admin.auth, { role: 'teacher' }),
    api(ctx, 'PATCH', `/auth/organizations/${organizationId}/members/${admin.id}`, second.auth, { role: 'teacher' })
  ])
  t.same([a.status, b.status].sort(), [200, 401], 'the second change finds its actor demoted')
  t.equal((await ctx.sql`select count(*)::int as n from auth.users where organization_id = ${organizationId} and role = 'admin'`)[0]?.n, 1)
})

t.test('a stale token is refused even when Redis never heard of the change', async (t) => {
  const ctx = await buildAuth(t)
  const { organizationId, admin, teacher } = await school(ctx)
  await ctx.sql`update auth.users set role = 'teacher' where id = ${admin.id}`
  const res = await api(ctx, 'PATCH', `/auth/organizations/${organizationId}/members/${teacher.id}`, admin.auth, { role: 'admin' })
  t.equal(res.status, 401)
  t.equal(res.body.error.code, 'AUTH_TOKEN_STALE')
  t.equal((await ctx.sql`select role from auth.users where id = ${teacher.id}`)[0]?.role, 'teacher')
})
