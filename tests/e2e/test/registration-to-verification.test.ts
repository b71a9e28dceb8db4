import t from 'tap'
import { waitFor } from '@dreamseed/testing'
import { linkIn, mailerIdle, startPlatform } from './helper.js'

t.test('register → user.created → mail on a real SMTP server → follow the link → verified, for several users at once', async (t) => {
  const platform = await startPlatform(t)
  const emails = Array.from({ length: 8 }, (_, i) => `e2e-${i}-${Date.now()}@example.org`)
  const statuses = await Promise.all(emails.map(async (e) => await platform.register(e)))
  t.same(statuses, emails.map(() => 202))

  await waitFor(() => emails.every((e) => platform.smtp.mailsTo(e).length === 1), { what: 'every verification mail', timeoutMs: 20000 })
  for (const email of emails) {
    const [mail] = platform.smtp.mailsTo(email)
    const link = linkIn(mail!.text)
    t.ok(link.startsWith(platform.authUrl), 'the link points at auth')
    // What a person does: open the link (a page, nothing used up), press the button (a form POST).
    const page = await fetch(link)
    const html = await page.text()
    t.equal(page.status, 200)
    const token = /name="token" value="([^"]+)"/.exec(html)?.[1]
    t.ok(token, 'the page carries the token in its form')
    const confirm = await fetch(`${platform.authUrl}/auth/verify`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${token ?? ''}` })
    t.equal(confirm.status, 200)
    t.match(await confirm.text(), /Your address is confirmed/)
  }
  const verified = await platform.sql`select count(*)::int as n from auth.users where email_verified_at is not null`
  t.equal(verified[0]?.n, emails.length)
  await waitFor(async () => (await platform.sql`select count(*)::int as n from auth.outbox where type = 'user.verified' and published_at is not null`)[0]?.n === emails.length, { what: 'user.verified published' })
  await mailerIdle(platform)
  t.equal(platform.smtp.mails.length, emails.length, 'user.verified sends no mail; nothing was sent twice')
})

t.test('registering an existing address mails its owner instead', async (t) => {
  const platform = await startPlatform(t)
  const email = `owner-${Date.now()}@example.org`
  t.equal(await platform.register(email), 202)
  t.equal(await platform.register(email, 'a different password'), 202)
  const mails = await waitFor(() => platform.smtp.mailsTo(email).length === 2 && platform.smtp.mailsTo(email))
  t.same(mails.map((m) => m.subject).sort(), ['Confirm your DreamSeed address', 'You already have a DreamSeed account'])
})
