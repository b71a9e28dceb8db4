// user.created (and user.verification.requested) become the "confirm your address" mail: domain/verification-mail.ts.
import t from 'tap'
import { waitFor } from '@dreamseed/testing'
import { buildNotification, userCreated } from '../helper.js'

t.test('user.created becomes one verification mail whose link carries the unsealed token', async (t) => {
  const { smtp, sealKey, publish, sql } = await buildNotification(t)
  const { envelope, token } = userCreated(sealKey)
  await publish(envelope)
  const [mail] = await waitFor(() => smtp.mailsTo(envelope.data.email).length === 1 && smtp.mailsTo(envelope.data.email), { what: 'the mail' })
  t.equal(mail?.subject, 'Confirm your DreamSeed address')
  t.match(mail?.text, `http://auth.test/auth/verify?token=${token}`)
  t.equal(mail?.messageId, `<${envelope.id}.verify-email@dreamseed>`)
  t.notMatch(mail?.raw, /Ann|Smith/, 'no name: the registrant chose it, and the address is not verified')
  t.match(mail?.text, /entering the password you chose when you registered/)
  const rows = await sql`select status, attempts, recipient from notification.email_deliveries`
  t.same(rows.map((r) => ({ ...r })), [{ status: 'sent', attempts: 1, recipient: envelope.data.email }])
})

t.test('an event whose token cannot be unsealed, or that breaks its contract, sends nothing', async (t) => {
  const { smtp, publish, sql, mailerIdle } = await buildNotification(t)
  const other = Buffer.alloc(32, 7)
  const { envelope } = userCreated(other)
  await publish(envelope)
  const broken = userCreated(other).envelope as unknown as { data: Record<string, unknown> }
  broken.data.email = 'not-an-email'
  await publish(broken as never)
  await mailerIdle()
  t.equal(smtp.mails.length, 0)
  t.equal((await sql`select count(*)::int as n from notification.email_deliveries`)[0]?.n, 0)
})
