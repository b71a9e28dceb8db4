// user.registration.repeated becomes the "you already have an account" mail, at most once per interval: domain/account-exists-mail.ts.
import t from 'tap'
import { newEnvelope, newEventId, userRegistrationRepeatedV1, userVerifiedV1, type Envelope } from '@dreamseed/events'
import { waitFor } from '@dreamseed/testing'
import { buildApp } from '../../src/app.js'
import { buildNotification } from '../helper.js'

t.test('a repeated registration becomes an "account exists" mail; events that need no mail are acknowledged', async (t) => {
  const { app, smtp, publish, mailerIdle } = await buildNotification(t)
  const email = 'owner@example.org'
  await publish(newEnvelope(userVerifiedV1, { userId: newEventId(), email, verifiedAt: new Date().toISOString() }))
  await publish(newEnvelope(userRegistrationRepeatedV1, { userId: newEventId(), email, displayName: 'Owner' }))
  const [mail] = await waitFor(() => smtp.mailsTo(email).length === 1 && smtp.mailsTo(email))
  t.equal(mail?.subject, 'You already have a DreamSeed account')
  t.match(mail?.text, 'http://auth.test/auth/verification/resend')
  t.match(mail?.text, 'http://auth.test/auth/password/forgot')
  t.notMatch(mail?.raw, /Owner/, 'no name in it')
  await mailerIdle()
  t.equal(smtp.mails.length, 1, 'user.verified sends nothing')
  const metrics = (await app.ops.inject({ method: 'GET', url: '/metrics' })).body
  t.match(metrics, /notification_mail_deliveries_total\{template="account-exists",outcome="sent"\} 1/)
  t.equal((await app.inject({ method: 'GET', url: '/metrics' })).statusCode, 404, 'metrics are not on the public port')
})

t.test('"you already have an account" goes to an address at most once per interval, however many registrations and replicas', async (t) => {
  const { app, config, smtp, publish, mailerIdle, sql } = await buildNotification(t, { ACCOUNT_EXISTS_MAIL_INTERVAL_S: '2' })
  // A second replica on the same database and durable consumer: the two share the events between them.
  const replica = await buildApp(config)
  await replica.ready()
  await replica.mailConsumer.started()
  t.teardown(async () => { await replica.close() })
  const owner = 'owner@example.org'
  const other = 'someone.else@example.org'
  const repeated = (email: string): Envelope => newEnvelope(userRegistrationRepeatedV1, { userId: newEventId(), email, displayName: 'Visit evil.example' })
  await Promise.all(Array.from({ length: 20 }, async () => await publish(repeated(owner))))
  await publish(repeated(other))
  await mailerIdle()
  t.equal(smtp.mailsTo(owner).length, 1, 'twenty registrations of one address, one mail')
  t.equal(smtp.mailsTo(other).length, 1, 'another address has its own interval')
  t.notMatch(smtp.mailsTo(owner)[0]?.raw, /evil/, 'and the name in the event is not in it')
  const metrics = (await app.ops.inject({ method: 'GET', url: '/metrics' })).body + (await replica.ops.inject({ method: 'GET', url: '/metrics' })).body
  const suppressed = [...metrics.matchAll(/notification_mail_deliveries_total\{template="account-exists",outcome="suppressed"\} (\d+)/g)].reduce((n, m) => n + Number(m[1]), 0)
  t.equal(suppressed, 19, 'the others are counted as suppressed')
  t.equal((await sql`select count(*)::int as n from notification.email_deliveries where template = 'account-exists'`)[0]?.n, 2)

  await new Promise((resolve) => setTimeout(resolve, 2100))
  await publish(repeated(owner))
  await mailerIdle()
  t.equal(smtp.mailsTo(owner).length, 2, 'after the interval, the next registration is told again')
})
