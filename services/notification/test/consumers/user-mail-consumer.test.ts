// The mailer's consumer end to end: a redelivered event sends no second mail, transient SMTP failures are retried
// with backoff up to the delivery limit, and a permanent refusal becomes a dead letter that can be replayed.
import t from 'tap'
import { headers as natsHeaders } from '@nats-io/transport-node'
import { jetstream } from '@nats-io/jetstream'
import { deadLetters, newEventId } from '@dreamseed/events'
import { waitFor } from '@dreamseed/testing'
import { buildNotification, userCreated } from '../helper.js'

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
