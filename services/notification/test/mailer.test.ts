import t from 'tap'
import { headers as natsHeaders } from '@nats-io/transport-node'
import { jetstream } from '@nats-io/jetstream'
import { deadLetters, newEnvelope, newEventId, userRegistrationRepeatedV1, userVerifiedV1, type Envelope } from '@dreamseed/events'
import { waitFor } from '@dreamseed/testing'
import { buildApp } from '../src/app.js'
import { buildNotification, userCreated } from './helper.js'

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

t.test('a redelivered event sends no second mail', async (t) => {
  const { smtp, sealKey, publish, nc, prefix, sql, mailerIdle } = await buildNotification(t)
  const { envelope } = userCreated(sealKey)
  await publish(envelope)
  await waitFor(() => smtp.mailsTo(envelope.data.email).length === 1, { what: 'first mail' })
  // The same event again, under another message id so JetStream's duplicate window does not drop it:
  // exactly what a producer that published twice outside the window would do.
  const h = natsHeaders()
  h.set('Nats-Msg-Id', newEventId())
  await jetstream(nc).publish(`${prefix}.user.created.v1`, JSON.stringify(envelope), { headers: h })
  await mailerIdle()
  t.equal((await sql`select count(*)::int as n from notification.email_deliveries`)[0]?.n, 1)
  t.equal(smtp.mailsTo(envelope.data.email).length, 1)
})

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

t.test('transient SMTP failures are retried with backoff until the mail goes out, once', async (t) => {
  const { smtp, sealKey, publish, sql, mailerIdle } = await buildNotification(t)
  smtp.setBehaviour('transient')
  const { envelope } = userCreated(sealKey)
  await publish(envelope)
  await waitFor(() => smtp.refused >= 2, { what: 'two refusals' })
  t.equal((await sql`select status from notification.email_deliveries`)[0]?.status, 'pending')
  smtp.setBehaviour('accept')
  await waitFor(() => smtp.mailsTo(envelope.data.email).length === 1, { what: 'the mail after recovery' })
  await mailerIdle()
  t.equal(smtp.mailsTo(envelope.data.email).length, 1)
  const [row] = await sql`select status, attempts from notification.email_deliveries`
  t.equal(row?.status, 'sent')
  t.ok((row?.attempts as number) >= 3, `attempts recorded (${String(row?.attempts)})`)
})

t.test('a permanent SMTP refusal is recorded as failed, not retried, and filed as a dead letter that can be replayed', async (t) => {
  const { app, smtp, sealKey, publish, sql, nc, prefix, mailerIdle } = await buildNotification(t)
  smtp.setBehaviour('permanent')
  const { envelope } = userCreated(sealKey)
  await publish(envelope)
  await waitFor(async () => (await sql`select status from notification.email_deliveries`)[0]?.status === 'failed', { what: 'failed' })
  await mailerIdle()
  t.equal(smtp.refused, 1, 'tried once')
  const [row] = await sql`select last_error from notification.email_deliveries`
  t.match(row?.last_error, /550/)
  t.match((await app.ops.inject({ method: 'GET', url: '/metrics' })).body, /notification_mail_deliveries_total\{template="verify-email",outcome="failed"\} 1/)
  const store = await deadLetters(nc, prefix)
  await waitFor(async () => (await store.count()) === 1, { what: 'the dead letter' })
  const [letter] = await store.list()
  t.match(letter, { consumer: 'notification-mailer', deliveries: 1 })
  t.match(letter!.reason, /mail not delivered: .*550/)
  t.notMatch(letter!.reason, /token|sealed/i, 'the reason carries no secret')
  t.match((await app.ops.inject({ method: 'GET', url: '/metrics' })).body, /dreamseed_dead_letters_total\{consumer="notification-mailer"\} 1/)

  // Once the address is fixed on the mail server's side, a replay sends the mail, once.
  smtp.setBehaviour('accept')
  await store.replay(letter!.seq)
  await waitFor(async () => (await sql`select status from notification.email_deliveries`)[0]?.status === 'sent', { what: 'sent after the replay' })
  t.equal(smtp.mailsTo(envelope.data.email).length, 1)
  t.equal(await store.count(), 0)
})

t.test('transient failures stop at the delivery limit and are recorded as failed', async (t) => {
  const { smtp, sealKey, publish, sql, mailerIdle } = await buildNotification(t, { MAILER_MAX_DELIVER: '3', MAILER_BACKOFF_MS: '50' })
  smtp.setBehaviour('transient')
  const { envelope } = userCreated(sealKey)
  await publish(envelope)
  await waitFor(async () => (await sql`select status from notification.email_deliveries`)[0]?.status === 'failed', { what: 'failed' })
  await mailerIdle()
  t.equal(smtp.refused, 3)
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

t.test('console mode logs the mail instead of sending it', async (t) => {
  const { captureLogger } = await import('@dreamseed/testing')
  const log = captureLogger('info')
  const { smtp, sealKey, publish } = await buildNotification(t, { EMAIL_MODE: 'console', LOG_LEVEL: 'info' }, { logger: log.logger })
  const { envelope, token } = userCreated(sealKey)
  await publish(envelope)
  const line = await waitFor(() => log.lines.find((l) => l.msg === 'mail (EMAIL_MODE=console)'))
  t.match(JSON.stringify(line), token)
  t.equal(smtp.mails.length, 0)
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
