import t from 'tap'
import { newEventId } from '@dreamseed/events'
import { buildAuth, createOrganization, createVerifiedUser, login, setRole } from '../../helper.js'

type Ctx = Awaited<ReturnType<typeof buildAuth>>
interface Entry { id: string, action: string, outcome: string, actorId: string | null, subjectUserId: string | null, ip: string | null, userAgent: string | null, details: unknown, createdAt: string }
interface AuditPage { entries: Entry[], nextCursor: string | null }

async function memberOf (ctx: Ctx, organizationId: string | null, role: 'student' | 'teacher' | 'admin') {
  const user = await createVerifiedUser(ctx)
  await setRole(ctx, user.id, role, organizationId)
  return { ...user, ...(await login(ctx, user)) }
}

async function audit (ctx: Ctx, auth: Record<string, string>, query = '') {
  return await ctx.app.inject({ method: 'GET', url: `/auth/audit${query}`, headers: auth })
}

/** Writes `count` entries straight into the log (the API under test only reads it). */
async function seed (ctx: Ctx, organizationId: string, count: number, action = 'session.revoke'): Promise<void> {
  const rows = Array.from({ length: count }, (_, i) => ({ id: newEventId(), organization_id: organizationId, action, outcome: 'success', ip: '192.0.2.1', details: { n: i } }))
  await ctx.sql`insert into auth.audit_log ${ctx.sql(rows, 'id', 'organization_id', 'action', 'outcome', 'ip', 'details')}`
}

t.test('an admin pages through 120 entries of their organization, newest first, with no duplicate and no gap', async (t) => {
  const ctx = await buildAuth(t)
  const school = await createOrganization(ctx, 'North School')
  const other = await createOrganization(ctx, 'South School')
  const admin = await memberOf(ctx, school, 'admin')
  await seed(ctx, school, 60)
  await seed(ctx, other, 30)
  await seed(ctx, school, 60)
  const expected = (await ctx.sql`select id from auth.audit_log where organization_id = ${school} order by id desc`).map((r) => r.id as string)
  t.equal(expected.length, 121, '120 seeded and the admin\'s own login')

  const seen: string[] = []
  let cursor: string | null = null
  let pages = 0
  do {
    const res = await audit(ctx, admin.auth, `?limit=50${cursor === null ? '' : `&cursor=${cursor}`}`)
    t.equal(res.statusCode, 200)
    const page = res.json() as AuditPage
    t.ok(page.entries.length <= 50)
    seen.push(...page.entries.map((e) => e.id))
    cursor = page.nextCursor
    pages++
  } while (cursor !== null && pages < 10)
  t.equal(pages, 3)
  t.same(seen, expected, 'every entry exactly once, newest first')

  const first = (await audit(ctx, admin.auth, '?limit=2')).json() as AuditPage
  const again = (await audit(ctx, admin.auth, '?limit=2')).json() as AuditPage
  t.same(again, first, 'a stable order')
  t.equal((await audit(ctx, admin.auth)).json().entries.length, 50, 'fifty by default')
})

t.test('only admins read the log, and only their own organization\'s', async (t) => {
  const ctx = await buildAuth(t)
  const school = await createOrganization(ctx)
  const other = await createOrganization(ctx)
  const admin = await memberOf(ctx, school, 'admin')
  const teacher = await memberOf(ctx, school, 'teacher')
  const student = await memberOf(ctx, school, 'student')
  const otherAdmin = await memberOf(ctx, other, 'admin')
  const homeless = await memberOf(ctx, null, 'admin')
  await seed(ctx, school, 5)

  t.equal((await audit(ctx, {})).statusCode, 401)
  for (const [who, user] of [['teacher', teacher], ['student', student], ['an admin of no organization', homeless]] as const) {
    const res = await audit(ctx, user.auth)
    t.equal(res.statusCode, 403, who)
    t.equal(res.json().error.code, 'FORBIDDEN')
  }

  const ours = (await audit(ctx, admin.auth, '?limit=100')).json() as AuditPage
  const theirs = (await audit(ctx, otherAdmin.auth, '?limit=100')).json() as AuditPage
  const ourIds = new Set(ours.entries.map((e) => e.id))
  t.ok(ours.entries.length >= 5)
  t.same(theirs.entries.filter((e) => ourIds.has(e.id)), [], 'another organization\'s admin sees none of these')
  t.same(theirs.entries.map((e) => e.subjectUserId), [otherAdmin.id], 'only their own login')
  const borrowed = (await audit(ctx, otherAdmin.auth, `?cursor=${ours.entries[0]!.id}`)).json() as AuditPage
  t.same(borrowed.entries.filter((e) => ourIds.has(e.id)), [], 'nor with a cursor taken from the other organization')
  const filtered = (await audit(ctx, otherAdmin.auth, `?userId=${student.id}`)).json() as AuditPage
  t.same(filtered.entries, [], 'nor by asking for one of its users')
})

t.test('logins, failed logins, logouts and revocations of members reach their admin, with who, when and from where', async (t) => {
  const ctx = await buildAuth(t)
  const school = await createOrganization(ctx)
  const admin = await memberOf(ctx, school, 'admin')
  const student = await createVerifiedUser(ctx)
  await setRole(ctx, student.id, 'student', school)
  const client = { 'user-agent': 'Chromebook/1.0' }
  const remoteAddress = '198.51.100.30'
  await ctx.app.inject({ method: 'POST', url: '/auth/login', remoteAddress, headers: client, payload: { email: student.email, password: 'not the password' } })
  const first = await login(ctx, student, client)
  const second = await login(ctx, student, client)
  await ctx.app.inject({ method: 'DELETE', url: `/auth/sessions/${first.session.id}`, headers: { ...second.auth, ...client } })
  await ctx.app.inject({ method: 'POST', url: '/auth/logout', headers: { ...second.auth, ...client } })

  const res = await audit(ctx, admin.auth, `?userId=${student.id}`)
  const entries = (res.json() as AuditPage).entries
  t.same(entries.map((e) => `${e.action}:${e.outcome}`), ['logout:success', 'session.revoke:success', 'login:success', 'login:success', 'login:failure'], 'newest first')
  t.match(entries[4], { subjectUserId: student.id, actorId: null, ip: remoteAddress, userAgent: 'Chromebook/1.0', details: { reason: 'wrong_password' } }, 'a failed login says whose account, from where, with what')
  t.match(entries[0], { subjectUserId: student.id, actorId: student.id, ip: '127.0.0.1', userAgent: 'Chromebook/1.0' })
  t.ok(entries.every((e) => Math.abs(Date.parse(e.createdAt) - Date.now()) < 60_000), 'and when')

  const logouts = (await audit(ctx, admin.auth, '?action=logout')).json() as AuditPage
  t.same(logouts.entries.map((e) => e.id), [entries[0]!.id], 'filtered by action')
  const both = (await audit(ctx, admin.auth, `?action=login&userId=${student.id}&limit=1`)).json() as AuditPage
  t.equal(both.entries.length, 1)
  t.equal(both.entries[0]!.id, entries[2]!.id, 'filters combine with the limit')
  t.equal(both.nextCursor, entries[2]!.id, 'the cursor is the last entry shown')
})

t.test('a page costs one query whether it holds 1 entry or 50', async (t) => {
  const ctx = await buildAuth(t)
  const small = await createOrganization(ctx)
  const large = await createOrganization(ctx)
  const smallAdmin = await memberOf(ctx, small, 'admin')
  const largeAdmin = await memberOf(ctx, large, 'admin')
  await seed(ctx, large, 60)
  const count = async (auth: Record<string, string>) => {
    const before = ctx.app.database.queryCount()
    const res = await audit(ctx, auth, '?limit=50')
    return { queries: ctx.app.database.queryCount() - before, entries: (res.json() as AuditPage).entries.length }
  }
  const one = await count(smallAdmin.auth)
  const fifty = await count(largeAdmin.auth)
  t.same(one, { queries: 1, entries: 1 })
  t.same(fifty, { queries: 1, entries: 50 })
})

t.test('bad input on GET /auth/audit gets a 400 in the error model', async (t) => {
  const ctx = await buildAuth(t)
  const admin = await memberOf(ctx, await createOrganization(ctx), 'admin')
  const bad = ['?cursor=not-a-cursor', `?cursor=${'A'.repeat(5000)}`, '?limit=0', '?limit=101', '?limit=ten', '?limit=1.5', '?userId=42',
    '?action=DROP%20TABLE', `?action=${'a'.repeat(65)}`, '?page=2', '?cursor=a&cursor=b']
  for (const query of bad) {
    const res = await audit(ctx, admin.auth, query)
    const what = query.slice(0, 40)
    t.equal(res.statusCode, 400, what)
    t.equal(res.json().error.code, 'VALIDATION_FAILED', `${what}: code`)
    t.equal(res.json().error.requestId, res.headers['x-request-id'], `${what}: request id`)
  }
})
