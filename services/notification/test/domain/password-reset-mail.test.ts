// user.password_reset.requested becomes the reset mail, its token unsealed only when sealed for a reset: domain/password-reset-mail.ts.
import t from 'tap'
import { randomBytes } from 'node:crypto'
import { headers as natsHeaders } from '@nats-io/transport-node'
import { jetstream } from '@nats-io/jetstream'
import { newEnvelope, newEventId, passwordResetSealContext, seal, userPasswordResetRequestedV1, verificationSealContext } from '@dreamseed/events'
import { waitFor } from '@dreamseed/testing'
import { buildNotification } from '../helper.js'

function resetRequested (sealKey: Buffer, context = passwordResetSealContext) {
  const userId = newEventId()
  const token = randomBytes(32).toString('base64url')
  const envelope = newEnvelope(userPasswordResetRequestedV1, {
    userId,
    email: `r.${randomBytes(3).toString('hex')}@example.org`,
    displayName: 'Ann <i>Reset</i>',
    reset: { sealedToken: seal(sealKey, token, context(userId)), expiresAt: new Date(Date.now() + 3600_000).toISOString() }
  })
  return { envelope, token }
}

t.test('user.password_reset.requested becomes one reset mail whose link carries the unsealed token, even when redelivered', async (t) => {
  const { app, smtp, sealKey, publish, nc, prefix, sql, mailerIdle } = await buildNotification(t)
  const { envelope, token } = resetRequested(sealKey)
  await publish(envelope)
  const [mail] = await waitFor(() => smtp.mailsTo(envelope.data.email).length === 1 && smtp.mailsTo(envelope.data.email), { what: 'the reset mail' })
  t.equal(mail?.subject, 'Reset your DreamSeed password')
  t.match(mail?.text, `http://auth.test/auth/password/reset?token=${token}\n`, 'the link opens auth\'s reset page with the raw token')
  t.match(mail?.text, /works once, until/)
  t.equal(mail?.messageId, `<${envelope.id}.reset-password@dreamseed>`)
  // The decoded mail without its token: a random token may hold "Ann" by chance.
  t.notMatch(mail?.text.replaceAll(token, ''), /Ann|Reset<|&lt;i&gt;/, 'no name: the address may never have been verified, and the name is the registrant\'s')

  const h = natsHeaders()
  h.set('Nats-Msg-Id', newEventId())
  await jetstream(nc).publish(userPasswordResetRequestedV1.subject(prefix), JSON.stringify(envelope), { headers: h })
  await mailerIdle()
  t.equal(smtp.mailsTo(envelope.data.email).length, 1, 'a redelivered event sends no second mail')
  const rows = await sql`select template, status from notification.email_deliveries`
  t.same(rows.map((r) => ({ ...r })), [{ template: 'reset-password', status: 'sent' }])
  t.match((await app.ops.inject({ method: 'GET', url: '/metrics' })).body, /notification_mail_deliveries_total\{template="reset-password",outcome="sent"\} 1/)
})

t.test('a reset token sealed for another purpose is refused, and nothing is sent', async (t) => {
  const { smtp, sealKey, publish, sql, mailerIdle } = await buildNotification(t)
  await publish(resetRequested(sealKey, verificationSealContext).envelope)
  await publish(resetRequested(Buffer.alloc(32, 9)).envelope)
  await mailerIdle()
  t.equal(smtp.mails.length, 0)
  t.equal((await sql`select count(*)::int as n from notification.email_deliveries`)[0]?.n, 0)
})
