// Every route of auth that needs a token, read from auth's own OpenAPI walked by another school's
// admin, teacher and student and by a teacher and a student of no school, naming school A's organization,
// users, sessions, classroom and addresses (packages/testing's route walk states the rules). Public
// routes (register, login, verification, password reset, the key set) need no token and are not walked: they
// name no organization's things. A route added later is walked as it is; one with a new kind of path id fails
// here until its A value is added to `values` below.
import t from 'tap'
import { assertRouteWalk, operationName, organizationRows, walkRoutes, type WalkActor } from '@dreamseed/testing'
import { buildAuth, login } from '../helper.js'
import { member, schoolWithClassroom, type Ctx, type Member } from '../organization-fixtures.js'

const sessionOf = (headers: Record<string, string>): string => JSON.parse(Buffer.from(headers.authorization!.split('.')[1]!, 'base64url').toString()).sid as string

/** An actor whose session a walked route may end (a logout): signed in again before the next request. */
function actor (ctx: Ctx, name: string, m: Member, own?: Record<string, unknown>): WalkActor {
  let headers = m.auth
  return {
    name,
    ...(own === undefined ? {} : { own }),
    headers: async () => {
      const [session] = await ctx.sql`select revoked_at from auth.sessions where id = ${sessionOf(headers)}`
      if (session?.revoked_at !== null) headers = (await login(ctx, m)).auth
      return headers
    }
  }
}

t.test('auth: every route that needs a token, walked by outsiders naming school A\'s things, tells them nothing and changes nothing of A\'s', async (t) => {
  // One client address walks every route a few hundred times: the per-address limits would answer instead.
  const ctx = await buildAuth(t, { AUTH_RATE_LIMIT_MAX: '1000000', AUTH_RATE_LIMIT_STRICT_MAX: '1000000' })
  const a = await schoolWithClassroom(ctx, 'North')
  const b = await schoolWithClassroom(ctx, 'South')
  // A's student has a profile, so a route that leaked it or changed it would be seen.
  const profile = await ctx.app.inject({ method: 'PUT', url: `/auth/organizations/${a.organizationId}/students/${a.student.id}/accommodations`, headers: a.admin.auth, payload: { timeMultiplier: 1.5, extraBreaks: 1, flags: ['large_print'] } })
  t.equal(profile.statusCode, 200)
  const [adminSession] = await ctx.sql<Array<{ id: string }>>`select id from auth.sessions where user_id = ${a.admin.id}`
  const values = {
    'organizations/{id}': a.organizationId,
    'members/{userId}': a.student.id,
    'students/{userId}': a.student.id,
    'users/{id}': a.admin.id,
    'sessions/{id}': adminSession!.id,
    'classrooms/{id}': a.room.id,
    'invitations/{invitationId}': a.invitation,
    'invitations/{id}': a.invitation,
    '?userId': a.admin.id,
    '?cursor': null,
    '.email': a.teacher.email,
    '.adminEmail': a.student.email
    // No '.code': a join code is the credential that lets a student in. A student of no school who has A's
    // joins A by design (join-code.test.ts); who may use one is pinned there and in cross-organization.test.ts.
  }
  const own = { 'organizations/{id}': b.organizationId, 'members/{userId}': b.student.id, 'students/{userId}': b.student.id, 'classrooms/{id}': b.room.id, 'invitations/{invitationId}': b.invitation, '.email': b.teacher.email, '.adminEmail': b.student.email }
  const ids = [a.organizationId, a.admin.id, a.teacher.id, a.student.id, a.room.id, adminSession!.id, a.invitation]
  const rows = await organizationRows(ctx.sql, 'auth', ids)

  const report = await assertRouteWalk(t, {
    app: ctx.app,
    values,
    secrets: [...ids, a.admin.email, a.teacher.email, a.student.email, a.room.joinCode],
    actors: [
      actor(ctx, 'admin of South', b.admin, own),
      actor(ctx, 'teacher of South', b.teacher, own),
      actor(ctx, 'student of South', b.student, own),
      actor(ctx, 'teacher of no school', await member(ctx, 'teacher', null)),
      actor(ctx, 'student of no school', await member(ctx, 'student', null))
    ],
    rows,
    schema: 'auth',
    holds: ['organizations', 'users', 'sessions', 'classrooms', 'classroom_members', 'accommodations', 'outbox']
  })
  t.ok(report.public.includes('POST /auth/login'), 'sign-in is public, so not walked')

  // The control: the same walk by A's own admin over what reading and one write show, so the rules above are
  // known to see a route that answers, a list that shows A's rows, and a change to them.
  const control = await walkRoutes({
    app: ctx.app,
    values,
    secrets: [a.room.id, a.student.id],
    actors: [actor(ctx, 'admin of North', a.admin)],
    rows,
    schema: 'auth',
    select: (op) => op.secured && (op.method === 'GET' || operationName(op) === 'POST /auth/classrooms/{id}/join-code')
  })
  const seen = control.problems.join('\n')
  t.match(seen, /GET \/auth\/classrooms\/\{id\} as admin of North \(A's\): 200, not 403 or 404/, 'a classroom A\'s admin may read is seen as answering')
  t.match(seen, /GET \/auth\/classrooms as admin of North .*shows A's/, 'a list showing A\'s classroom is seen')
  t.match(seen, /POST \/auth\/classrooms\/\{id\}\/join-code: organization A's rows changed: auth\.classrooms/, 'a changed row of A\'s is seen')
})
