// An invitation end to end: auth answers an admin the same for any address, notification mails the invitation
// over real SMTP, and the owner of the address joins only by accepting it.
import t from 'tap'
import { connect } from '@nats-io/transport-node'
import { jetstreamManager } from '@nats-io/jetstream'
import { streamFor } from '@dreamseed/events'
import { waitFor } from '@dreamseed/testing'
import { call, mailerIdle, signIn, startPlatform } from './helper.js'

const claims = (token: string): Record<string, unknown> => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>

t.test('an admin invites three addresses alike; exactly one mail reaches the account owner, who joins by accepting', async (t) => {
  const platform = await startPlatform(t)
  const stamp = Date.now()
  const adminEmail = `admin-${stamp}@example.org`
  await signIn(platform, adminEmail)
  const [org] = await platform.sql`insert into auth.organizations (id, name) values (gen_random_uuid(), 'Springfield High') returning id`
  await platform.sql`update auth.users set role = 'admin', organization_id = ${org?.id} where email = ${adminEmail}`
  const admin = (await call(platform.authUrl, 'POST', '/auth/login', undefined, { email: adminEmail, password: 'correct horse battery' })).body!.accessToken as string

  const existing = `owner-${stamp}@example.org`
  const signedIn = await signIn(platform, existing)
  const unverified = `unver-${stamp}@example.org`
  t.equal(await platform.register(unverified), 202)
  const unknown = `nobod-${stamp}@example.org`

  const answers = []
  for (const email of [existing, unverified, unknown]) {
    const res = await call(platform.authUrl, 'POST', `/auth/organizations/${org?.id as string}/invitations`, admin, { email, role: 'teacher' })
    answers.push({ status: res.status, type: res.type, keys: Object.keys(res.body ?? {}).sort(), role: res.body?.role, email: res.body?.email === email })
  }
  t.same(answers, Array(3).fill({ status: 202, type: 'application/json; charset=utf-8', keys: ['email', 'expiresAt', 'id', 'organizationId', 'role'], role: 'teacher', email: true }), 'the same answer for an account, an unverified one and no account')
  t.equal((await platform.sql`select organization_id from auth.users where email = ${existing}`)[0]?.organization_id, null, 'invited, not joined')

  const invitationMails = (email: string) => platform.smtp.mailsTo(email).filter((m) => m.subject === 'Join Springfield High on DreamSeed')
  await waitFor(() => [existing, unverified, unknown].every((e) => invitationMails(e).length > 0), { what: 'the invitation mails', timeoutMs: 20000 })
  await waitFor(async () => (await platform.sql`select count(*)::int as n from auth.outbox where published_at is null`)[0]?.n === 0, { what: 'the outbox relayed' })
  await mailerIdle(platform)
  t.equal(invitationMails(existing).length, 1, 'exactly one invitation mail to the account\'s owner')
  t.equal(invitationMails(unknown).length, 1, 'and one to the address without an account (the same mail)')

  const mine = await call(platform.authUrl, 'GET', '/auth/me/invitations', signedIn.accessToken)
  t.equal(mine.body?.invitations.length, 1)
  const id = mine.body?.invitations[0].id as string
  t.match(invitationMails(existing)[0]!.text, `${platform.authUrl}/auth/me/invitations/${id}/accept`, 'the mail says where to accept')
  const accepted = await call(platform.authUrl, 'POST', `/auth/me/invitations/${id}/accept`, signedIn.accessToken)
  t.equal(accepted.status, 200)
  t.same(accepted.body, { organization: { id: org?.id, name: 'Springfield High' }, role: 'teacher' })

  const nc = await connect({ servers: platform.env.NATS_URL! })
  t.teardown(async () => { await nc.close() })
  const jsm = await jetstreamManager(nc)
  const subject = `${platform.env.EVENTS_PREFIX!}.organization.member.added.v1`
  const added = await waitFor(async () => await jsm.streams.getMessage(streamFor(platform.env.EVENTS_PREFIX!, 'organization.member.added'), { last_by_subj: subject }).catch(() => null), { what: 'organization.member.added on the bus' })
  const userId = (await platform.sql`select id from auth.users where email = ${existing}`)[0]?.id as string
  t.match(JSON.parse(added.string()), { type: 'organization.member.added', data: { organizationId: org?.id, userId, role: 'teacher', source: 'admin' } })

  const refreshed = await call(platform.authUrl, 'POST', '/auth/token', undefined, { sessionToken: signedIn.sessionToken })
  t.equal(refreshed.status, 200)
  t.match(claims(refreshed.body!.accessToken as string), { org: org?.id, role: 'teacher' }, 'a refreshed token carries the organization')
})
