// Builders for tests of organizations and classrooms: a school with an admin, a teacher and a student, signed
// in; invitations; a clock the tests can move (a role change refuses tokens issued in the same second); quick bulk rows.
import { newEventId } from '@dreamseed/events'
import { buildAuth, createOrganization, createVerifiedUser, login, setRole } from './helper.js'

export type Ctx = Awaited<ReturnType<typeof buildAuth>>
type Role = 'student' | 'teacher' | 'admin'
type Headers = Record<string, string>

export interface Member { id: string, email: string, password: string, displayName: string, auth: Headers, sessionToken: string }

/** A clock that runs with real time and can be moved forward. */
export function movableClock () {
  let offset = 0
  return { now: () => new Date(Date.now() + offset), advance: (ms: number) => { offset += ms } }
}

export async function member (ctx: Ctx, role: Role, organizationId: string | null): Promise<Member> {
  const user = await createVerifiedUser(ctx, { role: role === 'student' ? 'student' : 'teacher' })
  if (role !== 'student' || organizationId !== null) await setRole(ctx, user.id, role, organizationId)
  const session = await login(ctx, user)
  return { id: user.id, email: user.email, password: user.password, displayName: user.displayName, auth: session.auth, sessionToken: session.sessionToken }
}

export async function school (ctx: Ctx, name = 'Springfield High') {
  const organizationId = await createOrganization(ctx, name)
  const [admin, teacher, student] = [await member(ctx, 'admin', organizationId), await member(ctx, 'teacher', organizationId), await member(ctx, 'student', organizationId)]
  return { organizationId, admin, teacher, student }
}

export async function api (ctx: Ctx, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, auth: Headers = {}, payload?: unknown) {
  const res = await ctx.app.inject({ method, url, headers: auth, ...(payload === undefined ? {} : { payload: payload as object }) })
  return { status: res.statusCode, body: res.body === '' ? undefined : res.json() }
}

/** An admin invites an address through the API; returns the invitation's id. */
export async function invite (ctx: Ctx, admin: Member, organizationId: string, email: string, role: 'teacher' | 'admin' = 'teacher'): Promise<string> {
  const res = await api(ctx, 'POST', `/auth/organizations/${organizationId}/invitations`, admin.auth, { email, role })
  if (res.status !== 202) throw new Error(`invitation not sent: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body.id as string
}

/** Creates a classroom through the API and returns its id and join code. */
export async function classroom (ctx: Ctx, teacher: Member, name = 'Algebra 1'): Promise<{ id: string, joinCode: string }> {
  const res = await api(ctx, 'POST', '/auth/classrooms', teacher.auth, { name })
  if (res.status !== 201) throw new Error(`classroom not created: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body as { id: string, joinCode: string }
}

/** A school whose teacher has a classroom its student joined with the code, and an open invitation. */
export async function schoolWithClassroom (ctx: Ctx, name: string) {
  const s = await school(ctx, name)
  const room = await classroom(ctx, s.teacher, `${name} maths`)
  const joined = await api(ctx, 'POST', '/auth/classrooms/join', s.student.auth, { code: room.joinCode })
  if (joined.status !== 200) throw new Error('join failed')
  const invitation = await invite(ctx, s.admin, s.organizationId, `invited-to-${name.toLowerCase()}@example.org`)
  return { ...s, room, invitation }
}

/** Inserts accounts straight into the database (for list sizes; they cannot sign in). */
export async function insertUsers (ctx: Ctx, n: number, role: Role, organizationId: string | null): Promise<string[]> {
  const rows = Array.from({ length: n }, (_, i) => ({ id: newEventId(), email: `bulk-${newEventId()}-${i}@example.org`, password_hash: 'x', display_name: `Bulk ${i}`, role, organization_id: organizationId, email_verified_at: new Date() }))
  if (n > 0) await ctx.sql`insert into auth.users ${ctx.sql(rows)}`
  return rows.map((r) => r.id)
}

export async function insertClassrooms (ctx: Ctx, n: number, organizationId: string, teacherId: string): Promise<string[]> {
  const rows = Array.from({ length: n }, (_, i) => ({ id: newEventId(), organization_id: organizationId, teacher_id: teacherId, name: `Bulk ${i}`, join_code: `BULK${newEventId().slice(-12)}${i}` }))
  if (n > 0) await ctx.sql`insert into auth.classrooms ${ctx.sql(rows)}`
  return rows.map((r) => r.id)
}

export async function insertMembers (ctx: Ctx, classroomId: string, userIds: string[]): Promise<void> {
  if (userIds.length > 0) await ctx.sql`insert into auth.classroom_members ${ctx.sql(userIds.map((userId) => ({ classroom_id: classroomId, user_id: userId })))}`
}

/** Queries one request costs. */
export async function queriesOf (ctx: Ctx, run: () => Promise<unknown>): Promise<number> {
  const before = ctx.app.database.queryCount()
  await run()
  return ctx.app.database.queryCount() - before
}

export async function eventsOf (ctx: Ctx, type: string): Promise<Array<Record<string, unknown>>> {
  const rows = await ctx.sql<Array<{ envelope: { data: Record<string, unknown> } }>>`select envelope from auth.outbox where type = ${type} order by id`
  return rows.map((r) => r.envelope.data)
}
