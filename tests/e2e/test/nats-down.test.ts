import t from 'tap'
import { startPrivateNats, waitFor } from '@dreamseed/testing'
import { mailerIdle, startPlatform } from './helper.js'

t.test('with NATS down registration still succeeds, and every mail goes out exactly once when NATS is back', async (t) => {
  const nats = await startPrivateNats(t)
  const platform = await startPlatform(t, { natsUrl: nats.url })
  const warmup = `warmup-${Date.now()}@example.org`
  t.equal(await platform.register(warmup), 202)
  await waitFor(() => platform.smtp.mailsTo(warmup).length === 1, { what: 'the first mail, with NATS up' })

  await nats.stop()
  const emails = Array.from({ length: 20 }, (_, i) => `down-${i}-${Date.now()}@example.org`)
  const statuses = await Promise.all(emails.map(async (e) => await platform.register(e)))
  t.same(statuses, emails.map(() => 202), 'no request failed for want of NATS')
  const waiting = await platform.sql`select count(*)::int as n from auth.outbox where published_at is null`
  t.equal(waiting[0]?.n, 20, 'the events wait in the outbox')
  t.equal(platform.smtp.mails.length, 1)

  await nats.start()
  await waitFor(() => emails.every((e) => platform.smtp.mailsTo(e).length >= 1), { what: 'every mail after NATS returned', timeoutMs: 30000 })
  await mailerIdle(platform)
  for (const e of emails) t.equal(platform.smtp.mailsTo(e).length, 1, `${e} got exactly one mail`)
})
