// The password reset page in a real browser (Debian's chromium), with JavaScript on and off: the mailed link
// opens a form, a typo in the second field brings the form back with the reason, and the form sets the password.
import t, { type Test } from 'tap'
import { launchBrowser, type Browser, type Page } from '@dreamseed/testing'
import { startPlatform } from './helper.js'
import { post, registerVerified, requestResetLink } from './reset-mail.js'

const browser: Browser = await launchBrowser(t)

/** Presses the form's button and returns the status of the POST it sends, once the answer page has loaded. */
async function submit (page: Page): Promise<number> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === '/auth/password/reset' && r.request().method() === 'POST'),
    page.click('#reset')
  ])
  await page.waitForLoadState('load')
  return response.status()
}

async function resetFlow (t: Test, javaScriptEnabled: boolean): Promise<void> {
  const platform = await startPlatform(t)
  const email = `browser-reset-${Date.now()}-${javaScriptEnabled ? 'js' : 'nojs'}@example.org`
  await registerVerified(platform, email, 'the old password')
  const link = await requestResetLink(platform, email)

  const context = await browser.newContext({ javaScriptEnabled })
  t.teardown(async () => { await context.close() })
  const requested: string[] = []
  context.on('request', (r) => { requested.push(r.url()) })
  const page = await context.newPage()
  if (!javaScriptEnabled) {
    await page.setContent('<noscript><p id="off">scripts are off</p></noscript>')
    t.ok(await page.isVisible('#off'), 'the browser runs no scripts')
  }

  t.equal((await page.goto(link))?.status(), 200)
  t.equal(await page.locator('h1').textContent(), 'Choose a new password')
  t.equal(await page.locator('#account').textContent(), email, 'the page says whose password it is')

  await page.fill('#password', 'my new password')
  await page.fill('#passwordConfirm', 'my new pasword')
  t.equal(await submit(page), 400)
  t.equal(await page.locator('#error').textContent(), 'The two passwords are not the same')
  t.ok(await page.isVisible('#password') && await page.isVisible('#reset'), 'the form is back to try again')

  await page.fill('#password', 'my new password')
  await page.fill('#passwordConfirm', 'my new password')
  t.equal(await submit(page), 200)
  t.equal(await page.locator('#result').textContent(), 'Your password has been changed')

  const signIn = await post(`${platform.authUrl}/auth/login`, JSON.stringify({ email, password: 'my new password' }))
  t.equal(signIn.status, 200, 'the new password signs in through the API')
  t.equal((await post(`${platform.authUrl}/auth/login`, JSON.stringify({ email, password: 'the old password' }))).status, 401)

  t.equal((await page.goto(link))?.status(), 410, 'the used link now explains itself')
  t.equal(await page.locator('#result').textContent(), 'This link cannot be used')
  await Promise.all([page.waitForURL(`${platform.authUrl}/auth/password/forgot`), page.click('#ask-again')])
  t.ok(await page.isVisible('#email') && await page.isVisible('#send'), 'its link leads to the form that asks again')

  t.same(requested.filter((u) => !u.startsWith(`${platform.authUrl}/`)), [], 'the pages load nothing from anywhere else')
}

t.test('in a browser: the mailed link opens the form, a mismatch brings it back, and the new password signs in', async (t) => {
  await resetFlow(t, true)
})

t.test('the same page works with JavaScript disabled', async (t) => {
  await resetFlow(t, false)
})
