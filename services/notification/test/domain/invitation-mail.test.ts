import t from 'tap'
import { randomBytes } from 'node:crypto'
import { headers as natsHeaders } from '@nats-io/transport-node'
import { jetstream } from '@nats-io/jetstream'
import { newEnvelope, newEventId, userInvitedV1 } from '@dreamseed/events'
import { waitFor } from '@dreamseed/testing'
import { buildNotification } from '../helper.js'

const invited = (email: string) => newEnvelope(userInvitedV1, {
  invitationId: newEventId(),
  email,
  organizationId: newEventId(),
  organizationName: 'Springfield <High>',
  role: 'teacher',
  invitedBy: newEventId(),
  inviterName: 'Ada <b>Admin</b>',
  expiresAt: new Date(Date.now() + 7 * 86400_000).toISOString()
})

t.test('user.invited becomes one invitation mail saying who invites, where, as what, and how to answer, even when redelivered', async (t) => {
  const { app, smtp, publish, nc, prefix, sql, mailerIdle } = await buildNotification(t)
  const email = `i.${randomBytes(3).toString('hex')}@example.org`
  const envelope = invited(email)
  await publish(envelope)
  const [mail] = await waitFor(() => smtp.mailsTo(email).length === 1 && smtp.mailsTo(email), { what: 'the invitation mail' })
  t.equal(mail?.subject, 'Join Springfield <High> on DreamSeed')
  t.match(mail?.text, 'Ada <b>Admin</b> invited you to join Springfield <High> on DreamSeed as a teacher.')
  t.match(mail?.text, `POST http://auth.test/auth/me/invitations/${envelope.data.invitationId}/accept`)
  t.match(mail?.text, `POST http://auth.test/auth/me/invitations/${envelope.data.invitationId}/decline`)
  t.match(mail?.text, 'Register with this address first (http://auth.test/auth/register)', 'the same mail serves an address without an account')
  t.equal(mail?.messageId, `<${envelope.id}.invitation@dreamseed>`)
  t.match(mail?.raw, /Ada &lt;b&gt;Admin&lt;\/b&gt;/, 'names are escaped in the HTML part')

  const h = natsHeaders()
  h.set('Nats-Msg-Id', newEventId())
  await jetstream(nc).publish(userInvitedV1.subject(prefix), JSON.stringify(envelope), { headers: h })
  await mailerIdle()
  t.equal(smtp.mailsTo(email).length, 1, 'a redelivered event sends no second mail')
  t.same((await sql`select template, status from notification.email_deliveries`).map((r) => ({ ...r })), [{ template: 'invitation', status: 'sent' }])
  t.match((await app.ops.inject({ method: 'GET', url: '/metrics' })).body, /notification_mail_deliveries_total\{template="invitation",outcome="sent"\} 1/)
})

t.test('a user.invited that breaks its contract is refused, and nothing is sent', async (t) => {
  const { smtp, publish, sql, mailerIdle } = await buildNotification(t)
  const envelope = invited('broken@example.org')
  await publish({ ...envelope, data: { ...envelope.data, token: 'a secret that has no place here' } })
  const other = invited('fine@example.org')
  await publish({ ...other, data: { ...other.data, email: 'not an address' } })
  await mailerIdle()
  t.equal(smtp.mails.length, 0)
  t.equal((await sql`select count(*)::int as n from notification.email_deliveries`)[0]?.n, 0)
})
