// The pages of the verification flow. The link in the mail opens the confirm page; only its button (a POST)
// uses the token, so mail scanners that fetch links do not use it up. The button also needs the password chosen
// at registration (verify-email.ts says why).
import { escapeHtml, layout } from './html.js'

export function confirmPage (token: string, error?: string): string {
  return layout('Confirm your address', `<h1>Confirm your email address</h1>
<p>Enter the password you chose when you registered, then press the button to confirm that this address is yours.</p>
${error === undefined ? '' : `<p id="error" class="error">${escapeHtml(error)}</p>`}
<form method="post" action="/auth/verify">
<input type="hidden" name="token" value="${escapeHtml(token)}">
<label for="password">The password you chose when you registered</label>
<input type="password" id="password" name="password" required maxlength="128" autocomplete="current-password">
<button type="submit" id="confirm">Confirm my address</button>
</form>
<p>You did not register, or do not know that password? Someone else may have used your address. Register again
with it to choose your own password; the link in the new mail confirms it.</p>`)
}

export function verifiedPage (email: string): string {
  return layout('Address confirmed', `<h1 id="result">Your address is confirmed</h1>
<p>${escapeHtml(email)} is verified. You can close this page and sign in.</p>`)
}

export function verificationFailedPage (message: string): string {
  return layout('Link not valid', `<h1 id="result" class="error">This link cannot be used</h1>
<p>${escapeHtml(message)}</p>
${resendForm()}`)
}

export function resendPage (notice?: string): string {
  return layout('New verification mail', `<h1>Get a new verification mail</h1>
${notice === undefined ? '' : `<p id="notice">${escapeHtml(notice)}</p>`}
${resendForm()}`)
}

function resendForm (): string {
  return `<form method="post" action="/auth/verification/resend">
<label for="email">Your email address</label>
<input type="email" id="email" name="email" required maxlength="254" autocomplete="email">
<button type="submit" id="resend">Send me a new link</button>
</form>`
}

export const RESEND_NOTICE = 'If an unverified account uses this address, a new verification mail is on its way.'
