// The pages of the password reset flow. The link in the mail opens a form (nothing is used up by opening
// it, so mail scanners that fetch links do no harm); only submitting the form uses the token.
import { escapeHtml, layout } from './html.js'

export const FORGOT_NOTICE = 'If an account uses this address, a mail with a link to choose a new password is on its way.'

export function forgotPage (notice?: string): string {
  return layout('Forgot your password', `<h1>Forgot your password?</h1>
<p>Give the address you signed up with; we mail you a link to choose a new password.</p>
${notice === undefined ? '' : `<p id="notice">${escapeHtml(notice)}</p>`}
<form method="post" action="/auth/password/forgot">
<label for="email">Your email address</label>
<input type="email" id="email" name="email" required maxlength="254" autocomplete="email">
<button type="submit" id="send">Send me a link</button>
</form>`)
}

export function resetPage (input: { token: string, email?: string, error?: string }): string {
  // The unnamed username field is never sent; it tells password managers which account the new password is for.
  return layout('Choose a new password', `<h1>Choose a new password</h1>
${input.email === undefined ? '' : `<p>For <strong id="account">${escapeHtml(input.email)}</strong>.</p>`}
<p>At least 8 characters. Every device signed in to your account will be signed out.</p>
${input.error === undefined ? '' : `<p id="error" class="error">${escapeHtml(input.error)}</p>`}
<form method="post" action="/auth/password/reset">
<input type="hidden" name="token" value="${escapeHtml(input.token)}">
${input.email === undefined ? '' : `<input type="email" autocomplete="username" value="${escapeHtml(input.email)}" hidden readonly>`}
<label for="password">New password</label>
<input type="password" id="password" name="password" required minlength="8" maxlength="128" autocomplete="new-password">
<label for="passwordConfirm">The same password again</label>
<input type="password" id="passwordConfirm" name="passwordConfirm" required minlength="8" maxlength="128" autocomplete="new-password">
<button type="submit" id="reset">Set my new password</button>
</form>`)
}

export function passwordResetDonePage (): string {
  return layout('Password changed', `<h1 id="result">Your password has been changed</h1>
<p>You can sign in with your new password now. Every device that was signed in to your account has been signed out.</p>`)
}

export function resetFailedPage (message: string): string {
  return layout('Link not valid', `<h1 id="result" class="error">This link cannot be used</h1>
<p>${escapeHtml(message)}</p>
<p><a id="ask-again" href="/auth/password/forgot">Ask for a new password reset link</a></p>`)
}
