import t from 'tap'
import { buildAuth } from '../../helper.js'
import { api, eventsOf, member, school } from '../../organization-fixtures.js'

t.test('disabling a user ends every session, refuses their tokens at once, and stops them signing in', async (t) => {
  const ctx = await buildAuth(t)
  const { organizationId, admin, teacher } = await school(ctx)
  const secondDevice = await ctx.app.inject({ method: 'POST', url: '/auth/login', payload: { email: teacher.email, password: teacher.password } })
  t.equal((await api(ctx, 'GET', '/auth/me', teacher.auth)).status, 200)

  const res = await api(ctx, 'POST', `/auth/users/${teacher.id}/disable`, { ...admin.auth, 'x-request-id': 'disable-1' })
  t.equal(res.status, 200)
  t.match(res.body, { id: teacher.id, disabledAt: String, sessionsEnded: 2 })

  const [row] = await ctx.sql`select disabled_at from auth.users where id = ${teacher.id}`
  t.type(row?.disabled_at, Date)
  t.equal((await ctx.sql`select count(*)::int as n from auth.sessions where user_id = ${teacher.id} and revoked_at is null`)[0]?.n, 0, 'no session left')

  const me = await api(ctx, 'GET', '/auth/me', teacher.auth)
  t.equal(me.status, 401)
  t.equal(me.body.error.code, 'AUTH_SESSION_REVOKED', 'the existing access token is refused')
  const other = await api(ctx, 'GET', '/auth/me', { authorization: `Bearer ${secondDevice.json().accessToken as string}` })
  t.equal(other.body.error.code, 'AUTH_SESSION_REVOKED', 'on every device')
  const refresh = await ctx.app.inject({ method: 'POST', url: '/auth/token', payload: { sessionToken: teacher.sessionToken } })
  t.equal(refresh.statusCode, 401, 'no new access token either')
  const signIn = await ctx.app.inject({ method: 'POST', url: '/auth/login', payload: { email: teacher.email, password: teacher.password } })
  t.equal(signIn.statusCode, 403)
  t.equal(signIn.json().error.code, 'AUTH_ACCOUNT_DISABLED', 'and cannot sign in again')

  t.match(await eventsOf(ctx, 'user.disabled'), [{ userId: teacher.id, organizationId, disabledBy: admin.id, disabledAt: String }])
  const [audit] = await ctx.sql`select actor_id, subject_user_id, organization_id, outcome, details from auth.audit_log where action = 'user.disable'`
  t.same({ ...audit }, { actor_id: admin.id, subject_user_id: teacher.id, organization_id: organizationId, outcome: 'success', details: { role: 'teacher' } })

  const listed = await api(ctx, 'GET', `/auth/organizations/${organizationId}/users`, admin.auth)
  t.match((listed.body as { users: Array<{ id: string, disabledAt: string | null }> }).users.find((u) => u.id === teacher.id), { disabledAt: String }, 'the list shows who is disabled')
})

t.test('disabling twice changes nothing the second time', async (t) => {
  const ctx = await buildAuth(t)
  const { admin, student } = await school(ctx)
  const first = await api(ctx, 'POST', `/auth/users/${student.id}/disable`, admin.auth)
  const second = await api(ctx, 'POST', `/auth/users/${student.id}/disable`, admin.auth)
  t.equal(second.status, 200)
  t.equal(second.body.disabledAt, first.body.disabledAt)
  t.equal(second.body.sessionsEnded, 0)
  t.equal((await eventsOf(ctx, 'user.disabled')).length, 1)
  t.equal((await ctx.sql`select count(*)::int as n from auth.audit_log where action = 'user.disable'`)[0]?.n, 1)
})

t.test('an admin cannot disable themselves, nor anyone outside their organization; teachers and students cannot disable', async (t) => {
  const ctx = await buildAuth(t)
  const { admin, teacher, student } = await school(ctx)
  const loner = await member(ctx, 'student', null)
  const self = await api(ctx, 'POST', `/auth/users/${admin.id}/disable`, admin.auth)
  t.equal(self.status, 403)
  t.equal(self.body.error.code, 'AUTH_OWN_ACCOUNT')
  const outside = await api(ctx, 'POST', `/auth/users/${loner.id}/disable`, admin.auth)
  t.equal(outside.status, 404, 'an account in no organization is not the admin\'s')
  t.equal(outside.body.error.code, 'AUTH_USER_NOT_FOUND')
  t.equal((await api(ctx, 'POST', '/auth/users/01936f3e-1c1a-7cc0-9b4e-0d9b6a1c2f10/disable', admin.auth)).status, 404)
  t.equal((await api(ctx, 'POST', `/auth/users/${student.id}/disable`, teacher.auth)).status, 403)
  t.equal((await api(ctx, 'POST', `/auth/users/${teacher.id}/disable`, student.auth)).status, 403)
  t.equal((await api(ctx, 'POST', `/auth/users/${student.id}/disable`)).status, 401)
  t.equal((await ctx.sql`select count(*)::int as n from auth.users where disabled_at is not null`)[0]?.n, 0)
})
