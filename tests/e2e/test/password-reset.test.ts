import t from 'tap'
import { startPlatform } from './helper.js'
import { mailWithSubject, post, registerVerified, requestResetLink } from './reset-mail.js'

t.test('forgot → reset mail on a real SMTP server → follow the link → set a new password → sign in with it', async (t) => {
  const platform = await startPlatform(t)
  const email = `reset-${Date.now()}@example.org`
  await registerVerified(platform, email, 'the old password')

  const unknown = await post(`${platform.authUrl}/auth/password/forgot`, JSON.stringify({ email: `nobody-${Date.now()}@example.org` }))
  t.equal(unknown.status, 202)
  const link = await requestResetLink(platform, email)
  const known = await post(`${platform.authUrl}/auth/password/forgot`, JSON.stringify({ email }))
  t.equal(await unknown.text(), await known.text(), 'the same answer for an unknown address')
  t.ok(link.startsWith(`${platform.authUrl}/auth/password/reset?token=`), 'the mail links to auth\'s reset page')

  const page = await fetch(link)
  t.equal(page.status, 200)
  t.equal(page.headers.get('cache-control'), 'no-store')
  const html = await page.text()
  const token = /name="token" value="([^"]+)"/.exec(html)?.[1]
  t.ok(token, 'the page carries the token in its form')
  t.match(html, /name="passwordConfirm"/)

  const form = new URLSearchParams({ token: token ?? '', password: 'the new password', passwordConfirm: 'the new password' }).toString()
  const done = await post(`${platform.authUrl}/auth/password/reset`, form, 'application/x-www-form-urlencoded')
  t.equal(done.status, 200)
  t.match(await done.text(), /Your password has been changed/)

  const signIn = async (password: string) => await post(`${platform.authUrl}/auth/login`, JSON.stringify({ email, password }))
  const res = await signIn('the new password')
  t.equal(res.status, 200)
  t.type(((await res.json()) as { accessToken?: string }).accessToken, 'string')
  t.equal((await signIn('the old password')).status, 401, 'the old password is gone')

  const notice = await mailWithSubject(platform, email, 'Your DreamSeed password was changed')
  t.match(notice.text, `${platform.authUrl}/auth/password/forgot`)
  t.equal((await post(`${platform.authUrl}/auth/password/reset`, form, 'application/x-www-form-urlencoded')).status, 410, 'the link works once')
  t.equal(platform.smtp.mailsTo(email).length, 3, 'verification, reset (asked twice within the minute: one mail), notice')
})
