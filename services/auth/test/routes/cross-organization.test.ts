// Two schools, each with an admin, a teacher, a student and a classroom. Every route added for accounts,
// organizations and classrooms is walked by each member of one school against the other's: each answer is
// 403 or 404 (or, for the lists, nothing of the other school), and the database is exactly as it was.
import t from 'tap'
import { buildAuth } from '../helper.js'
import { api, eventsOf, invite, member, school, schoolWithClassroom, type Ctx, type Member } from '../organization-fixtures.js'

async function snapshot (ctx: Ctx): Promise<string> {
  const [row] = await ctx.sql`select
    (select json_agg(u order by u.id) from (select id, role, organization_id, disabled_at, email_verified_at, password_hash from auth.users) u) as users,
    (select json_agg(o order by o.id) from auth.organizations o) as organizations,
    (select json_agg(c order by c.id) from auth.classrooms c) as classrooms,
    (select json_agg(m order by m.classroom_id, m.user_id) from auth.classroom_members m) as members,
    (select json_agg(s order by s.id) from (select id, revoked_at from auth.sessions) s) as sessions,
    (select json_agg(i order by i.id) from auth.invitations i) as invitations,
    (select count(*) from auth.outbox) as events,
    (select count(*) from auth.audit_log where action <> 'login') as audit`
  return JSON.stringify(row)
}

t.test('no member of one organization sees or changes anything of another', async (t) => {
  const ctx = await buildAuth(t)
  const a = await schoolWithClassroom(ctx, 'North')
  const b = await schoolWithClassroom(ctx, 'South')
  const loner = await member(ctx, 'teacher', null)
  const lonerStudent = await member(ctx, 'student', null)

  for (const [home, away] of [[a, b], [b, a]] as const) {
    const before = await snapshot(ctx)
    const actors: Array<[string, Member]> = [['admin', away.admin], ['teacher', away.teacher], ['student', away.student]]
    for (const [role, actor] of actors) {
      const who = `${role} of ${away === a ? 'North' : 'South'}`
      const requests: Array<[string, 'GET' | 'POST' | 'PATCH' | 'DELETE', string, unknown?]> = [
        ['list the users', 'GET', `/auth/organizations/${home.organizationId}/users`],
        ['invite into it', 'POST', `/auth/organizations/${home.organizationId}/invitations`, { email: loner.email, role: 'teacher' }],
        ['list its invitations', 'GET', `/auth/organizations/${home.organizationId}/invitations`],
        ['withdraw its invitation', 'DELETE', `/auth/organizations/${home.organizationId}/invitations/${home.invitation}`],
        ['withdraw its invitation through their own organization', 'DELETE', `/auth/organizations/${away.organizationId}/invitations/${home.invitation}`],
        ['accept its invitation to another address', 'POST', `/auth/me/invitations/${home.invitation}/accept`],
        ['decline its invitation to another address', 'POST', `/auth/me/invitations/${home.invitation}/decline`],
        ['promote a member', 'PATCH', `/auth/organizations/${home.organizationId}/members/${home.teacher.id}`, { role: 'admin' }],
        ['demote the admin', 'PATCH', `/auth/organizations/${home.organizationId}/members/${home.admin.id}`, { role: 'student' }],
        ['change a member\'s role through their own organization', 'PATCH', `/auth/organizations/${away.organizationId}/members/${home.teacher.id}`, { role: 'admin' }],
        ['disable the admin', 'POST', `/auth/users/${home.admin.id}/disable`],
        ['disable a student', 'POST', `/auth/users/${home.student.id}/disable`],
        ['read a classroom', 'GET', `/auth/classrooms/${home.room.id}`],
        ['renew its join code', 'POST', `/auth/classrooms/${home.room.id}/join-code`],
        ['remove its student', 'DELETE', `/auth/classrooms/${home.room.id}/members/${home.student.id}`],
        ['join it with its code', 'POST', '/auth/classrooms/join', { code: home.room.joinCode }]
      ]
      for (const [what, method, url, body] of requests) {
        const res = await api(ctx, method, url, actor.auth, body)
        t.ok(res.status === 403 || res.status === 404, `${who}: ${what}: ${res.status}`)
        t.type(res.body?.error?.code, 'string', `${who}: ${what}: error model`)
      }
      const list = await api(ctx, 'GET', '/auth/classrooms', actor.auth)
      t.equal(list.status, 200)
      t.notOk((list.body as { classrooms: Array<{ id: string, organizationId: string }> }).classrooms.some((c) => c.organizationId === home.organizationId), `${who}: lists none of the other's classrooms`)
      const create = await api(ctx, 'POST', '/auth/classrooms', actor.auth, { name: 'Intruder', organizationId: home.organizationId })
      t.equal(create.status, 400, `${who}: cannot name the organization of a new classroom`)
    }
    t.equal(await snapshot(ctx), before, 'nothing changed in the database')
  }

  // The same routes, for accounts in no organization: nothing of either school is theirs.
  const before = await snapshot(ctx)
  for (const [what, actor, method, url] of [
    ['list users', loner, 'GET', `/auth/organizations/${a.organizationId}/users`],
    ['read a classroom', loner, 'GET', `/auth/classrooms/${a.room.id}`],
    ['renew a code', loner, 'POST', `/auth/classrooms/${a.room.id}/join-code`],
    ['remove a student', loner, 'DELETE', `/auth/classrooms/${a.room.id}/members/${a.student.id}`],
    ['accept another address\'s invitation', loner, 'POST', `/auth/me/invitations/${a.invitation}/accept`],
    ['disable', lonerStudent, 'POST', `/auth/users/${a.teacher.id}/disable`]
  ] as const) {
    const res = await api(ctx, method, url, actor.auth)
    t.ok(res.status === 403 || res.status === 404, `no organization: ${what}: ${res.status}`)
  }
  t.same((await api(ctx, 'GET', '/auth/classrooms', loner.auth)).body, { classrooms: [], nextCursor: null })
  t.equal(await snapshot(ctx), before, 'nothing changed in the database')
})

t.test('an admin may invite another organization\'s member or name them first admin of a new one, but they stay where they are', async (t) => {
  const ctx = await buildAuth(t)
  const home = await school(ctx, 'North')
  const away = await school(ctx, 'South')
  const taken = await invite(ctx, away.admin, away.organizationId, home.teacher.email)
  const created = await api(ctx, 'POST', '/auth/organizations', away.admin.auth, { name: 'Stolen', adminEmail: home.student.email })
  t.equal(created.status, 201, 'the same answer as for any address')
  for (const [who, m, id] of [['the teacher', home.teacher, taken], ['the student', home.student, created.body.invitation.id as string]] as const) {
    const res = await api(ctx, 'POST', `/auth/me/invitations/${id}/accept`, m.auth)
    t.equal(res.status, 409, `${who} cannot accept while in an organization`)
    t.equal(res.body.error.code, 'AUTH_ALREADY_IN_ORGANIZATION')
  }
  const rows = await ctx.sql`select id, organization_id from auth.users where id in (${home.teacher.id}, ${home.student.id})`
  t.ok(rows.length === 2 && rows.every((r) => r.organization_id === home.organizationId), 'both are still North\'s')
  t.same(await eventsOf(ctx, 'organization.member.added'), [])
})
