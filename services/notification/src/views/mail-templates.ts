// The mails, as plain text with a simple HTML twin. Every interpolated value is escaped in the HTML.
//
// No mail carries text someone typed. Each of them can reach an address nobody has verified (a verification
// link, a reset link, "your password was changed" after a reset, "you already have an account"), and the
// name in an event is whatever the person who registered the address chose: printing it would let anyone
// put their words, a link or a phone number, into our mail to a stranger's inbox. So they greet no one by name.
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c)

export type TemplateName = 'verify-email' | 'account-exists' | 'reset-password' | 'password-changed' | 'invitation'

export interface RenderedMail {
  subject: string
  text: string
  html: string
}

export function verifyEmailMail (input: { link: string, expiresAt: string }): RenderedMail {
  const expires = new Date(input.expiresAt).toUTCString()
  return {
    subject: 'Confirm your DreamSeed address',
    text: `Hello,\n\nConfirm your address by opening this link and entering the password you chose when you registered:\n\n${input.link}\n\nThe link works until ${expires}. If you did not register, ignore this mail.\n`,
    html: `<p>Hello,</p><p>Confirm your address by opening this link and entering the password you chose when you registered:</p><p><a href="${esc(input.link)}">${esc(input.link)}</a></p><p>The link works until ${esc(expires)}. If you did not register, ignore this mail.</p>`
  }
}

export function accountExistsMail (input: { resendLink: string, forgotLink: string }): RenderedMail {
  return {
    subject: 'You already have a DreamSeed account',
    text: `Hello,\n\nSomeone, probably you, tried to register again with this address. You already have an account, so nothing was changed.\n\nIf you forgot your password, you can choose a new one here:\n\n${input.forgotLink}\n\nIf your address is not confirmed yet, you can ask for a new link here:\n\n${input.resendLink}\n\nIf this was not you, you can ignore this mail.\n`,
    html: `<p>Hello,</p><p>Someone, probably you, tried to register again with this address. You already have an account, so nothing was changed.</p><p>If you forgot your password, you can choose a new one here: <a href="${esc(input.forgotLink)}">${esc(input.forgotLink)}</a></p><p>If your address is not confirmed yet, you can ask for a new link here: <a href="${esc(input.resendLink)}">${esc(input.resendLink)}</a></p><p>If this was not you, you can ignore this mail.</p>`
  }
}

export function resetPasswordMail (input: { link: string, expiresAt: string }): RenderedMail {
  const expires = new Date(input.expiresAt).toUTCString()
  return {
    subject: 'Reset your DreamSeed password',
    text: `Hello,\n\nSomeone, probably you, asked to reset the password of your DreamSeed account. Choose a new password by opening this link:\n\n${input.link}\n\nThe link works once, until ${expires}. If you did not ask for it, ignore this mail: your password stays as it is.\n`,
    html: `<p>Hello,</p><p>Someone, probably you, asked to reset the password of your DreamSeed account. Choose a new password by opening this link:</p><p><a href="${esc(input.link)}">${esc(input.link)}</a></p><p>The link works once, until ${esc(expires)}. If you did not ask for it, ignore this mail: your password stays as it is.</p>`
  }
}

export function passwordChangedMail (input: { changedAt: string, via: 'change' | 'reset', forgotLink: string }): RenderedMail {
  const when = new Date(input.changedAt).toUTCString()
  const how = input.via === 'reset' ? 'through a password reset link, and every device signed in to it was signed out' : 'from a signed-in session, and every other device signed in to it was signed out'
  return {
    subject: 'Your DreamSeed password was changed',
    text: `Hello,\n\nThe password of your DreamSeed account was changed on ${when}, ${how}.\n\nIf that was you, there is nothing to do. If it was not, choose a new password now:\n\n${input.forgotLink}\n`,
    html: `<p>Hello,</p><p>The password of your DreamSeed account was changed on ${esc(when)}, ${esc(how)}.</p><p>If that was you, there is nothing to do. If it was not, choose a new password now: <a href="${esc(input.forgotLink)}">${esc(input.forgotLink)}</a></p>`
  }
}

export function invitationMail (input: { inviterName: string, organizationName: string, role: string, expiresAt: string, invitationsUrl: string, acceptUrl: string, declineUrl: string, registerUrl: string }): RenderedMail {
  const expires = new Date(input.expiresAt).toUTCString()
  const invited = `${input.inviterName} invited you to join ${input.organizationName} on DreamSeed as ${input.role === 'admin' ? 'an admin' : `a ${input.role}`}.`
  const how = `Signed in to DreamSeed with this address, you see your invitations at GET ${input.invitationsUrl}, accept this one with POST ${input.acceptUrl} or decline it with POST ${input.declineUrl}. No account yet? Register with this address first (${input.registerUrl}) and confirm it.`
  const outro = `The invitation is open until ${expires}. Nothing happens unless you accept it; if you do not know ${input.organizationName}, ignore this mail.`
  return {
    subject: `Join ${input.organizationName} on DreamSeed`,
    text: `Hello,\n\n${invited}\n\n${how}\n\n${outro}\n`,
    html: `<p>Hello,</p><p>${esc(invited)}</p><p>${esc(how)}</p><p>${esc(outro)}</p>`
  }
}
