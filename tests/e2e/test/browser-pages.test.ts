// The pages a person opens from a mail, in a real browser (Debian's chromium): the HTML must not only look
// right to fetch() but confirm, fail and resend when a person clicks, with JavaScript on and off.
import t, { type Test } from 'tap'
import { launchBrowser, waitFor, type Browser, type Page } from '@dreamseed/testing'
import { linkIn, startPlatform, type Platform } from './helper.js'

const browser: Browser = await launchBrowser(t)
const PASSWORD = 'correct horse battery'

async function verifiedAt (platform: Platform, email: string): Promise<Date | null> {
  const [row] = await platform.sql<Array<{ at: Date | null }>>`select email_verified_at as at from auth.users where email = ${email}`
  if (row === undefined) throw new Error(`no user ${email}`)
  return row.at
}

async function verificationMail (platform: Platform, email: string, nth: number): Promise<string> {
  const mails = await waitFor(() => platform.smtp.mailsTo(email).length >= nth && platform.smtp.mailsTo(email), { what: `verification mail ${nth} to ${email}` })
  const mail = mails[nth - 1]!
  if (mail.subject !== 'Confirm your DreamSeed address') throw new Error(`unexpected mail to ${email}: ${mail.subject}`)
  return linkIn(mail.text)
}

/** Presses a form's button and returns the status of the POST it sends, once the answer page has loaded. */
async function submit (page: Page, button: string, path: string): Promise<number> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === path && r.request().method() === 'POST'),
    page.click(button)
  ])
  await page.waitForLoadState('load')
  return response.status()
}

async function mailFlow (t: Test, javaScriptEnabled: boolean): Promise<void> {
  // Resends are throttled per account; the second user here got their first mail a moment ago.
  const platform = await startPlatform(t, { env: { VERIFICATION_RESEND_INTERVAL_S: '0' } })
  const stamp = `${Date.now()}-${javaScriptEnabled ? 'js' : 'nojs'}`
  const ann = `ann-${stamp}@example.org`
  const bob = `bob-${stamp}@example.org`
  t.equal(await platform.register(ann), 202)
  t.equal(await platform.register(bob), 202)
  const link = await verificationMail(platform, ann, 1)
  const bobsFirstLink = await verificationMail(platform, bob, 1)
  t.ok(link.startsWith(`${platform.authUrl}/auth/verify?token=`), 'the mail links to auth\'s confirm page')

  const context = await browser.newContext({ javaScriptEnabled })
  t.teardown(async () => { await context.close() })
  // Local pages answer at once: a broken one should fail the test in seconds, not after playwright's 30.
  context.setDefaultTimeout(10_000)
  const requested: string[] = []
  context.on('request', (r) => { requested.push(r.url()) })
  const page = await context.newPage()

  if (!javaScriptEnabled) {
    // The flow below only proves something if scripts really are off in this context.
    await page.setContent('<noscript><p id="off">scripts are off</p></noscript>')
    t.ok(await page.isVisible('#off'), 'the browser runs no scripts')
  }

  const opened = await page.goto(link)
  t.equal(opened?.status(), 200)
  t.equal(await page.locator('h1').textContent(), 'Confirm your email address')
  t.ok(await page.isVisible('#confirm'), 'the page shows the confirm button')
  t.equal(await page.locator('#confirm').textContent(), 'Confirm my address')
  t.equal(await page.locator('label[for="password"]').textContent(), 'The password you chose when you registered')
  t.equal(await verifiedAt(platform, ann), null, 'opening the link does not verify the address')

  await page.fill('#password', 'not the password')
  t.equal(await submit(page, '#confirm', '/auth/verify'), 401, 'a wrong password is refused')
  t.match(await page.locator('#error').textContent(), /not the password this address was registered with/)
  t.equal(await verifiedAt(platform, ann), null, 'and verifies nothing')
  await page.fill('#password', PASSWORD)
  t.equal(await submit(page, '#confirm', '/auth/verify'), 200, 'the form came back with the link; the right password confirms')
  t.equal(await page.locator('#result').textContent(), 'Your address is confirmed')
  t.match(await page.locator('main').textContent(), `${ann} is verified`)
  t.type(await verifiedAt(platform, ann), Date, 'pressing the button verifies the address')

  t.equal((await page.goto(link))?.status(), 200, 'the used link still opens the confirm page')
  await page.fill('#password', PASSWORD)
  t.equal(await submit(page, '#confirm', '/auth/verify'), 410)
  t.equal(await page.locator('#result').textContent(), 'This link cannot be used')
  t.match(await page.locator('main').textContent(), /already been used/)
  t.ok(await page.isVisible('#email') && await page.isVisible('#resend'), 'the page offers the resend form')

  await page.fill('#email', bob)
  t.equal(await submit(page, '#resend', '/auth/verification/resend'), 202)
  t.equal(await page.locator('#notice').textContent(), 'If an unverified account uses this address, a new verification mail is on its way.')
  const bobsNewLink = await verificationMail(platform, bob, 2)
  t.not(bobsNewLink, bobsFirstLink, 'the form sent bob a new link')
  t.equal(platform.smtp.mailsTo(ann).length, 1, 'ann got no further mail')

  await page.goto(bobsNewLink)
  await page.fill('#password', PASSWORD)
  t.equal(await submit(page, '#confirm', '/auth/verify'), 200)
  t.equal(await page.locator('#result').textContent(), 'Your address is confirmed')
  t.type(await verifiedAt(platform, bob), Date, 'the resent link verifies bob')

  t.same(requested.filter((u) => !u.startsWith(`${platform.authUrl}/`)), [], 'the pages load nothing from anywhere else')
}

t.test('in a browser: the mailed link confirms only when the button is pressed, a used link offers the resend form, and the form sends a new mail', async (t) => {
  await mailFlow(t, true)
})

t.test('the same pages work with JavaScript disabled', async (t) => {
  await mailFlow(t, false)
})
