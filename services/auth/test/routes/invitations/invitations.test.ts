// Joining an organization takes the account owner's consent: an admin invites an address, and only its signed-in
// owner can accept. The invitation's answer tells the admin nothing about whether the address has an account.
import t from 'tap'
import { buildAuth, createVerifiedUser, login, newUser } from '../../helper.js'
import { api, eventsOf, invite, member, movableClock, queriesOf, school, type Ctx } from '../../organization-fixtures.js'

const membership = async (ctx: Ctx, id: string) => ({ ...(await ctx.sql`select role, organization_id from auth.users where id = ${id}`)[0] })

t.test('an admin of another organization cannot capture an account: inviting leaves it where it is until its owner accepts', async (t) => {
  const ctx = await buildAuth(t)
  const b = await school(ctx, 'Organization B')
  const loner = await member(ctx, 'teacher', null)

  // The old capture: POST …/members put any verified account in no organization into the admin's at once.
  const old = await api(ctx, 'POST', `/auth/organizations/${b.organizationId}/members`, b.admin.auth, { email: loner.email, role: 'teacher' })
  t.equal(old.status, 404, 'the add-member route is gone')
  t.same(await membership(ctx, loner.id), { role: 'teacher', organization_id: null })

  const res = await api(ctx, 'POST', `/auth/organizations/${b.organizationId}/invitations`, b.admin.auth, { email: loner.email, role: 'admin' })
  t.equal(res.status, 202)
  t.same(await membership(ctx, loner.id), { role: 'teacher', organization_id: null }, 'invited, the account is in no organization')
  t.same(await eventsOf(ctx, 'organization.member.added'), [])
  const disable = await api(ctx, 'POST', `/auth/users/${loner.id}/disable`, b.admin.auth)
  t.equal(disable.status, 404, 'and the admin cannot disable it')
  t.equal((await ctx.sql`select disabled_at from auth.users where id = ${loner.id}`)[0]?.disabled_at, null)
  t.equal((await api(ctx, 'GET', '/auth/me', loner.auth)).status, 200, 'its tokens still work')
})

t.test('an invitation answers the same for a verified, an unverified, an unknown address and a member of another organization', async (t) => {
  const ctx = await buildAuth(t)
  const { organizationId, admin } = await school(ctx)
  const elsewhere = await school(ctx, 'Elsewhere')
  // Addresses of one length, so even content-length cannot differ.
  const verified = await createVerifiedUser(ctx, { email: 'aaaa-verified@example.org', role: 'teacher' })
  const unverified = newUser({ email: 'bbbb-unverifi@example.org' })
  t.equal((await ctx.app.inject({ method: 'POST', url: '/auth/register', payload: unverified })).statusCode, 202)
  await ctx.sql`update auth.users set email = 'dddd-othersch@example.org' where id = ${elsewhere.teacher.id}`
  const addresses = [verified.email, unverified.email, 'cccc-nobodyhe@example.org', 'dddd-othersch@example.org']
  const outboxBefore = (await ctx.sql`select count(*)::int as n from auth.outbox`)[0]?.n as number

  const answers = []
  for (const email of addresses) {
    const res = await ctx.app.inject({ method: 'POST', url: `/auth/organizations/${organizationId}/invitations`, headers: admin.auth, payload: { email, role: 'teacher' } })
    const body = res.json() as Record<string, string>
    const headers = Object.fromEntries(Object.entries(res.headers).filter(([k]) => !['date', 'x-request-id'].includes(k)))
    answers.push({ status: res.statusCode, headers, body: { ...body, id: 'ID', expiresAt: 'DATE', email: body.email === email ? 'THE ADDRESS' : body.email } })
  }
  t.equal(answers[0]!.status, 202)
  t.same(answers[0]!.body, { id: 'ID', organizationId, email: 'THE ADDRESS', role: 'teacher', expiresAt: 'DATE' })
  for (let i = 1; i < addresses.length; i++) t.same(answers[i], answers[0], `${addresses[i]!}: the same status, headers and body`)
  const invited = await eventsOf(ctx, 'user.invited')
  t.same(invited.map((e) => e.email), addresses, 'each address gets the same invitation event')
  t.equal((await ctx.sql`select count(*)::int as n from auth.outbox`)[0]?.n, outboxBefore + addresses.length, 'and nothing else is written')
  t.same(await membership(ctx, verified.id), { role: 'teacher', organization_id: null })
  t.same(await membership(ctx, elsewhere.teacher.id), { role: 'teacher', organization_id: elsewhere.organizationId })
  t.notOk(JSON.stringify(invited).match(/token|secret|password/i), 'the event carries no secret')
})

t.test('the owner sees their open invitations, including one sent before they registered, and accepts one', async (t) => {
  const ctx = await buildAuth(t)
  const north = await school(ctx, 'North')
  const south = await school(ctx, 'South')
  const email = 'later@example.org'
  const fromNorth = await invite(ctx, north.admin, north.organizationId, email, 'teacher')
  const fromSouth = await invite(ctx, south.admin, south.organizationId, email, 'admin')
  await invite(ctx, south.admin, south.organizationId, 'someone-else@example.org')

  const user = await createVerifiedUser(ctx, { email, role: 'teacher' })
  const session = await login(ctx, user)
  const mine = await api(ctx, 'GET', '/auth/me/invitations', session.auth)
  t.equal(mine.status, 200)
  t.match(mine.body, {
    invitations: [
      { id: fromNorth, organization: { id: north.organizationId, name: 'North' }, role: 'teacher', invitedBy: { id: north.admin.id, displayName: north.admin.displayName }, expiresAt: String, createdAt: String },
      { id: fromSouth, organization: { id: south.organizationId, name: 'South' }, role: 'admin', invitedBy: { id: south.admin.id } }
    ],
    nextCursor: null
  })
  t.equal(mine.body.invitations.length, 2, 'only those for their address')
  const page = await api(ctx, 'GET', '/auth/me/invitations?limit=1', session.auth)
  t.same(page.body.invitations.map((i: { id: string }) => i.id), [fromNorth])
  t.equal(page.body.nextCursor, fromNorth)
  t.equal((await api(ctx, 'GET', '/auth/me/invitations')).status, 401)

  const accepted = await api(ctx, 'POST', `/auth/me/invitations/${fromSouth}/accept`, session.auth)
  t.equal(accepted.status, 200)
  t.same(accepted.body, { organization: { id: south.organizationId, name: 'South' }, role: 'admin' })
  t.same(await membership(ctx, user.id), { role: 'admin', organization_id: south.organizationId })
  t.same(await eventsOf(ctx, 'organization.member.added'), [{ organizationId: south.organizationId, userId: user.id, role: 'admin', source: 'admin', addedBy: south.admin.id }])
  t.equal((await ctx.sql`select count(*)::int as n from auth.invitations where id = ${fromSouth}`)[0]?.n, 0, 'used up')

  const fresh = await login(ctx, user)
  const other = await api(ctx, 'POST', `/auth/me/invitations/${fromNorth}/accept`, fresh.auth)
  t.equal(other.status, 409, 'an account belongs to one organization at most')
  t.equal(other.body.error.code, 'AUTH_ALREADY_IN_ORGANIZATION')
  t.same(await membership(ctx, user.id), { role: 'admin', organization_id: south.organizationId })
})

t.test('listing one\'s invitations costs one query for 1 or 30', async (t) => {
  const ctx = await buildAuth(t)
  const schools = await Promise.all(Array.from({ length: 3 }, async (_, i) => await school(ctx, `School ${i}`)))
  const one = await member(ctx, 'teacher', null)
  const many = await member(ctx, 'teacher', null)
  await invite(ctx, schools[0]!.admin, schools[0]!.organizationId, one.email)
  for (const s of schools) await invite(ctx, s.admin, s.organizationId, many.email)
  const a = await queriesOf(ctx, async () => await api(ctx, 'GET', '/auth/me/invitations', one.auth))
  const b = await queriesOf(ctx, async () => await api(ctx, 'GET', '/auth/me/invitations', many.auth))
  t.equal(a, 1)
  t.equal(b, a)
})

t.test('declined, withdrawn, expired, another\'s: a clear 4xx, and nothing changes', async (t) => {
  const clock = movableClock()
  const ctx = await buildAuth(t, { INVITATION_TTL_HOURS: '1' }, { now: clock.now })
  const { organizationId, admin } = await school(ctx)
  const ann = await member(ctx, 'teacher', null)
  const bob = await member(ctx, 'teacher', null)

  const declined = await invite(ctx, admin, organizationId, ann.email)
  t.equal((await api(ctx, 'POST', `/auth/me/invitations/${declined}/accept`, bob.auth)).body.error.code, 'AUTH_INVITATION_NOT_FOUND', 'another\'s invitation is not found')
  t.equal((await api(ctx, 'POST', `/auth/me/invitations/${declined}/decline`, bob.auth)).status, 404, 'nor can they decline it')
  t.equal((await api(ctx, 'POST', `/auth/me/invitations/${declined}/decline`, ann.auth)).status, 204)
  const afterDecline = await api(ctx, 'POST', `/auth/me/invitations/${declined}/accept`, ann.auth)
  t.equal(afterDecline.status, 404)
  t.equal(afterDecline.body.error.code, 'AUTH_INVITATION_NOT_FOUND', 'a declined invitation is gone')
  const [audit] = await ctx.sql`select actor_id, organization_id, details from auth.audit_log where action = 'invitation.decline'`
  t.same({ ...audit }, { actor_id: ann.id, organization_id: organizationId, details: { invitationId: declined, role: 'teacher' } }, 'the decline is in the organization\'s audit log')

  const withdrawn = await invite(ctx, admin, organizationId, ann.email)
  t.equal((await api(ctx, 'DELETE', `/auth/organizations/${organizationId}/invitations/${withdrawn}`, admin.auth)).status, 204)
  t.equal((await api(ctx, 'DELETE', `/auth/organizations/${organizationId}/invitations/${withdrawn}`, admin.auth)).status, 404, 'withdrawn once')
  t.equal((await api(ctx, 'POST', `/auth/me/invitations/${withdrawn}/accept`, ann.auth)).body.error.code, 'AUTH_INVITATION_NOT_FOUND', 'a withdrawn invitation cannot be accepted')

  const expired = await invite(ctx, admin, organizationId, ann.email)
  clock.advance(3600_000 + 1000)
  const late = await api(ctx, 'POST', `/auth/me/invitations/${expired}/accept`, ann.auth)
  t.equal(late.status, 410)
  t.equal(late.body.error.code, 'AUTH_INVITATION_EXPIRED')
  t.equal((await api(ctx, 'POST', `/auth/me/invitations/${expired}/decline`, ann.auth)).status, 410)
  t.same((await api(ctx, 'GET', '/auth/me/invitations', ann.auth)).body.invitations, [], 'an expired invitation is not listed')
  t.same((await api(ctx, 'GET', `/auth/organizations/${organizationId}/invitations`, admin.auth)).body.invitations, [], 'nor to the admin')

  t.equal((await api(ctx, 'POST', '/auth/me/invitations/01936f3e-1c1a-7cc0-9b4e-0d9b6a1c2f10/accept', ann.auth)).status, 404, 'an unknown id')
  t.same(await membership(ctx, ann.id), { role: 'teacher', organization_id: null })
  t.same(await membership(ctx, bob.id), { role: 'teacher', organization_id: null })
  t.same(await eventsOf(ctx, 'organization.member.added'), [], 'nobody joined')
})

t.test('an invitation from an admin who has since been demoted or disabled can no longer be accepted', async (t) => {
  const ctx = await buildAuth(t)
  const { organizationId, admin } = await school(ctx)
  const second = await member(ctx, 'admin', organizationId)
  const ann = await member(ctx, 'teacher', null)
  const bob = await member(ctx, 'teacher', null)
  const fromSecond = await invite(ctx, second, organizationId, ann.email)
  const fromAdmin = await invite(ctx, admin, organizationId, bob.email)
  await ctx.sql`update auth.users set role = 'teacher' where id = ${second.id}`
  await ctx.sql`update auth.users set disabled_at = now() where id = ${admin.id}`
  for (const [who, m, id] of [['demoted', ann, fromSecond], ['disabled', bob, fromAdmin]] as const) {
    const res = await api(ctx, 'POST', `/auth/me/invitations/${id}/accept`, m.auth)
    t.equal(res.status, 410, who)
    t.equal(res.body.error.code, 'AUTH_INVITATION_WITHDRAWN', who)
    t.same(await membership(ctx, m.id), { role: 'teacher', organization_id: null }, who)
  }
})

t.test('inviting again refreshes the invitation and mails again only after the resend interval', async (t) => {
  const clock = movableClock()
  const ctx = await buildAuth(t, { INVITATION_RESEND_INTERVAL_S: '600' }, { now: clock.now })
  const { organizationId, admin } = await school(ctx)
  const ann = await member(ctx, 'teacher', null)
  const first = await invite(ctx, admin, organizationId, ann.email, 'teacher')
  clock.advance(60_000)
  const second = await invite(ctx, admin, organizationId, ann.email.toUpperCase(), 'admin')
  t.equal(second, first, 'the same invitation')
  t.equal((await eventsOf(ctx, 'user.invited')).length, 1, 'no second mail within the interval')
  const [row] = await ctx.sql`select role, expires_at, mailed_at, created_at from auth.invitations where id = ${first}`
  t.equal(row?.role, 'admin', 'the new role')
  t.ok((row?.expires_at as Date).getTime() > (row?.created_at as Date).getTime() + 7 * 86400_000, 'a new expiry (the default week from now)')
  clock.advance(600_000)
  await invite(ctx, admin, organizationId, ann.email, 'admin')
  t.equal((await eventsOf(ctx, 'user.invited')).length, 2, 'a new mail after the interval')
  t.equal((await ctx.sql`select count(*)::int as n from auth.invitations`)[0]?.n, 1, 'still one invitation per organization and address')
  const res = await api(ctx, 'POST', `/auth/me/invitations/${first}/accept`, ann.auth)
  t.match(res.body, { role: 'admin' }, 'accepting gives the role of the latest invitation')
})

t.test('an organization has at most INVITATIONS_MAX_PENDING invitations out, even when its admins invite at once', async (t) => {
  const ctx = await buildAuth(t, { INVITATIONS_MAX_PENDING: '3' })
  const { organizationId, admin } = await school(ctx)
  const second = await member(ctx, 'admin', organizationId)
  const results = await Promise.all(Array.from({ length: 8 }, async (_, i) =>
    await api(ctx, 'POST', `/auth/organizations/${organizationId}/invitations`, (i % 2 === 0 ? admin : second).auth, { email: `invitee${i}@example.org`, role: 'teacher' })))
  t.same(results.map((r) => r.status).sort(), [202, 202, 202, 409, 409, 409, 409, 409])
  t.ok(results.filter((r) => r.status === 409).every((r) => r.body.error.code === 'AUTH_TOO_MANY_INVITATIONS'))
  t.equal((await ctx.sql`select count(*)::int as n from auth.invitations`)[0]?.n, 3)
  const kept = results.find((r) => r.status === 202)!.body
  t.equal((await api(ctx, 'POST', `/auth/organizations/${organizationId}/invitations`, admin.auth, { email: kept.email, role: 'admin' })).status, 202, 'refreshing one still works')
  t.equal((await api(ctx, 'POST', '/auth/organizations', admin.auth, { name: 'Annex', adminEmail: 'annex@example.org' })).status, 409, 'a new organization\'s first admin counts too')
  t.equal((await api(ctx, 'DELETE', `/auth/organizations/${organizationId}/invitations/${kept.id as string}`, admin.auth)).status, 204)
  t.equal((await api(ctx, 'POST', `/auth/organizations/${organizationId}/invitations`, admin.auth, { email: 'another@example.org', role: 'teacher' })).status, 202, 'a withdrawn one frees its place')
})

t.test('two organizations\' invitations accepted at once: the account joins one of them', async (t) => {
  const ctx = await buildAuth(t)
  const north = await school(ctx, 'North')
  const south = await school(ctx, 'South')
  const ann = await member(ctx, 'teacher', null)
  const ids = [await invite(ctx, north.admin, north.organizationId, ann.email), await invite(ctx, south.admin, south.organizationId, ann.email)]
  const results = await Promise.all(ids.map(async (id) => await api(ctx, 'POST', `/auth/me/invitations/${id}/accept`, ann.auth)))
  t.same(results.map((r) => r.status).sort(), [200, 409])
  t.equal((await eventsOf(ctx, 'organization.member.added')).length, 1)
})

t.test('only the organization\'s admins invite, list and withdraw its invitations', async (t) => {
  const ctx = await buildAuth(t)
  const { organizationId, admin, teacher, student } = await school(ctx)
  const other = await school(ctx, 'Other')
  const id = await invite(ctx, admin, organizationId, 'someone@example.org')
  const listed = await api(ctx, 'GET', `/auth/organizations/${organizationId}/invitations`, admin.auth)
  t.match(listed.body, { invitations: [{ id, organizationId, email: 'someone@example.org', role: 'teacher', invitedBy: admin.id, expiresAt: String, createdAt: String }], nextCursor: null })
  const body = { email: 'x@example.org', role: 'teacher' }
  for (const [who, auth, status] of [['a teacher', teacher.auth, 403], ['a student', student.auth, 403], ['another organization\'s admin', other.admin.auth, 403], ['nobody', {}, 401]] as const) {
    t.equal((await api(ctx, 'POST', `/auth/organizations/${organizationId}/invitations`, auth, body)).status, status, `${who} cannot invite`)
    t.equal((await api(ctx, 'GET', `/auth/organizations/${organizationId}/invitations`, auth)).status, status, `${who} cannot list`)
    t.equal((await api(ctx, 'DELETE', `/auth/organizations/${organizationId}/invitations/${id}`, auth)).status, status, `${who} cannot withdraw`)
  }
  t.equal((await api(ctx, 'DELETE', `/auth/organizations/${other.organizationId}/invitations/${id}`, other.admin.auth)).status, 404, 'nor through their own organization')
  t.equal((await ctx.sql`select count(*)::int as n from auth.invitations`)[0]?.n, 1)
})
