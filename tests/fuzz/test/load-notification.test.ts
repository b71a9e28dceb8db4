// Load on notification: its HTTP surface is health and metrics on its ops port, so 50 clients probe and scrape it for 5 s
// (LOAD_FULL=1: 60 s) while user.created events arrive every 20 ms. Every one becomes exactly one mail.
import t from 'tap'
import { waitFor } from '@dreamseed/testing'
import { buildNotification, userCreated } from '../../../services/notification/test/helper.js'
import { assertHealthy, listen, runLoad } from './support/load.js'

t.test('notification under load: no 5xx, the pool holds, every event one mail, memory levels off', async (t) => {
  const ctx = await buildNotification(t)
  const base = await listen(ctx.app)
  const addresses: string[] = []
  let publishing = true
  const publisher = (async () => {
    while (publishing) {
      const { envelope } = userCreated(ctx.sealKey)
      await ctx.publish(envelope)
      addresses.push((envelope.data as { email: string }).email)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  })()
  const report = await runLoad({ url: base.opsUrl, opsUrl: base.opsUrl }, async (c) => {
    if (c.index % 3 === 0) await c.call('GET /metrics', 'GET', '/metrics')
    else if (c.index % 3 === 1) await c.call('GET /health/ready', 'GET', '/health/ready')
    else await c.call('GET /health/live', 'GET', '/health/live')
  })
  publishing = false
  await publisher
  assertHealthy(t, 'notification', report)
  t.equal(Object.entries(report.statuses).filter(([s]) => !s.startsWith('2')).length, 0, `notification: every answer a success (${JSON.stringify(report.statuses)})`)
  await waitFor(() => ctx.smtp.mails.length >= addresses.length, { timeoutMs: 60_000, what: 'every mail sent' })
  const perAddress = addresses.map((a) => ctx.smtp.mailsTo(a).length)
  t.equal(perAddress.filter((n) => n !== 1).length, 0, `notification: ${addresses.length} events, ${ctx.smtp.mails.length} mails, one each`)
})
