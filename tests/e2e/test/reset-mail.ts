// Finding the password reset mails a test's SMTP server captured, and the links in them.
import { waitFor, type ReceivedMail } from '@dreamseed/testing'
import { linkIn, type Platform } from './helper.js'

export function resetLinkIn (text: string): string {
  const m = /(http:\/\/\S+\/auth\/password\/reset\?token=[A-Za-z0-9_%-]+)/.exec(text)
  if (m?.[1] === undefined) throw new Error(`no reset link in:\n${text}`)
  return m[1]
}

export async function mailWithSubject (platform: Platform, email: string, subject: string): Promise<ReceivedMail> {
  return await waitFor(() => platform.smtp.mailsTo(email).find((m) => m.subject === subject), { what: `"${subject}" to ${email}`, timeoutMs: 20000 })
}

export const post = async (url: string, body: string, type = 'application/json'): Promise<Response> => await fetch(url, { method: 'POST', headers: { 'content-type': type }, body })

/** Registers through HTTP and confirms the address the way a person does: the mailed link, the password, the button. */
export async function registerVerified (platform: Platform, email: string, password: string): Promise<void> {
  if (await platform.register(email, password) !== 202) throw new Error('register failed')
  const page = await (await fetch(linkIn((await mailWithSubject(platform, email, 'Confirm your DreamSeed address')).text))).text()
  const token = /name="token" value="([^"]+)"/.exec(page)?.[1] ?? ''
  const res = await post(`${platform.authUrl}/auth/verify`, new URLSearchParams({ token, password }).toString(), 'application/x-www-form-urlencoded')
  if (res.status !== 200) throw new Error(`verify failed: ${res.status}`)
}

/** Asks for a reset through the API and returns the link from the mail. */
export async function requestResetLink (platform: Platform, email: string): Promise<string> {
  const res = await post(`${platform.authUrl}/auth/password/forgot`, JSON.stringify({ email }))
  if (res.status !== 202) throw new Error(`forgot failed: ${res.status}`)
  return resetLinkIn((await mailWithSubject(platform, email, 'Reset your DreamSeed password')).text)
}
