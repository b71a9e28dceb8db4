import t from 'tap'
import { waitFor } from '@dreamseed/testing'
import { mailerIdle, spawnNotification, startPlatform } from './helper.js'

t.test('killing the mailer while mails are in flight sends no address two mails, and loses none', async (t) => {
  const platform = await startPlatform(t, { notification: 'none', env: { MAILER_CONCURRENCY: '3' } })
  let mailer = spawnNotification(platform.env)
  t.teardown(() => { mailer.child.kill('SIGKILL') })

  const before = Array.from({ length: 3 }, (_, i) => `before-${i}-${Date.now()}@example.org`)
  for (const e of before) t.equal(await platform.register(e), 202)
  await waitFor(async () => (await platform.sql`select count(*)::int as n from notification.email_deliveries where status = 'sent'`)[0]?.n === 3, { what: 'first mails sent', timeoutMs: 30000 })

  // From now on the SMTP server takes each message but holds its reply: the mails are in flight.
  platform.smtp.setBehaviour('hold')
  const during = Array.from({ length: 7 }, (_, i) => `during-${i}-${Date.now()}@example.org`)
  for (const e of during) t.equal(await platform.register(e), 202)
  await waitFor(() => platform.smtp.held() >= 3, { what: 'mails in flight' })
  mailer.child.kill('SIGKILL')
  await mailer.exited
  // The killed mailer's connections are gone: a held message whose client died was never accepted.
  platform.smtp.setBehaviour('accept')
  platform.smtp.release()
  const inFlight = await platform.sql`select count(*)::int as n from notification.email_deliveries where status = 'sending'`
  t.ok((inFlight[0]?.n as number) >= 1, 'deliveries were claimed when the mailer died')

  mailer = spawnNotification(platform.env)
  const all = [...before, ...during]
  await waitFor(() => all.every((e) => platform.smtp.mailsTo(e).length >= 1), { what: 'every mail after the restart', timeoutMs: 30000 })
  // What the killed mailer held comes back after an ack wait: only then is a second mail ruled out.
  await mailerIdle(platform)
  for (const e of all) t.equal(platform.smtp.mailsTo(e).length, 1, `${e} got exactly one mail`)
  const rows = await platform.sql`select status, count(*)::int as n from notification.email_deliveries group by status`
  t.same(rows.map((r) => ({ ...r })), [{ status: 'sent', n: 10 }])
})
