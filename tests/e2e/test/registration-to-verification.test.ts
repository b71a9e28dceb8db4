import t from 'tap'
import { waitFor } from '@dreamseed/testing'
import { linkIn, mailerIdle, signIn, startPlatform } from './helper.js'

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
    t.match(html, /name="password"/, 'and asks for the password chosen at registration')
    const confirm = await fetch(`${platform.authUrl}/auth/verify`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: token ?? '', password: 'correct horse battery' }).toString() })
    t.equal(confirm.status, 200)
    t.match(await confirm.text(), /Your address is confirmed/)
  }
  const verified = await platform.sql`select count(*)::int as n from auth.users where email_verified_at is not null`
  t.equal(verified[0]?.n, emails.length)
  await waitFor(async () => (await platform.sql`select count(*)::int as n from auth.outbox where type = 'user.verified' and published_at is not null`)[0]?.n === emails.length, { what: 'user.verified published' })
  await mailerIdle(platform)
  t.equal(platform.smtp.mails.length, emails.length, 'user.verified sends no mail; nothing was sent twice')
})

t.test('registering a verified address again and again mails its owner once; registering an unverified one mails a new link', async (t) => {
  const platform = await startPlatform(t, { env: { VERIFICATION_RESEND_INTERVAL_S: '0' } })
  const owner = `owner-${Date.now()}@example.org`
  await signIn(platform, owner)
  await mailerIdle(platform)
  const before = platform.smtp.mailsTo(owner).length
  const statuses = await Promise.all(Array.from({ length: 10 }, async (_, i) => await platform.register(owner, `another password ${i}`)))
  t.same(statuses, statuses.map(() => 202))
  await waitFor(async () => (await platform.sql`select count(*)::int as n from auth.outbox where type = 'user.registration.repeated' and published_at is not null`)[0]?.n === 10, { what: 'the ten events published' })
  await mailerIdle(platform)
  const told = platform.smtp.mailsTo(owner).slice(before)
  t.same(told.map((m) => m.subject), ['You already have a DreamSeed account'], 'ten registrations, one mail')

  // An address registered but never verified: a second registration (someone else's, say) takes the account
  // and its new link goes to the mailbox; neither mail prints the name a registrant typed.
  const pending = `pending-${Date.now()}@example.org`
  const register = async (displayName: string, password: string) => await fetch(`${platform.authUrl}/auth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: pending, password, role: 'student', displayName }) })
  t.equal((await register('Call +1 555 0100 to claim your prize', 'first password')).status, 202)
  t.equal((await register('Visit evil.example now', 'second password')).status, 202)
  const mails = await waitFor(() => platform.smtp.mailsTo(pending).length === 2 && platform.smtp.mailsTo(pending), { what: 'two verification mails' })
  t.same(mails.map((m) => m.subject), ['Confirm your DreamSeed address', 'Confirm your DreamSeed address'])
  // Words of the display names, not their digits: a MIME boundary or a token may hold "555" by chance.
  for (const mail of mails) t.notMatch(mail.raw, /prize|claim|evil\.example/, 'no registrant\'s text in a mail to an unverified address')
  const [first, second] = mails.map((m) => /token=([A-Za-z0-9_-]+)/.exec(m.text)?.[1] ?? '')
  const verify = async (token: string, password: string) => (await fetch(`${platform.authUrl}/auth/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, password }) })).status
  t.equal(await verify(first!, 'first password'), 410, 'the first link was ended')
  t.equal(await verify(second!, 'first password'), 401, 'the first password no longer verifies')
  t.equal(await verify(second!, 'second password'), 200)
})
