// The mails of the password flows: the reset link (its token unsealed here, never logged) and the notice
// that a password was changed, which reaches the owner even when someone else changed it.
import { passwordResetSealContext, unseal, type Envelope, type HandlerResult, type UserPasswordChangedV1, type UserPasswordResetRequestedV1 } from '@dreamseed/events'
import { deliverOnce } from './deliver-once.js'
import { passwordChangedMail, resetPasswordMail } from './templates.js'
import type { UserMailDeps } from './user-mails.js'

export const PASSWORD_MAILED = ['user.password_reset.requested.1', 'user.password.changed.1']

/** Handles an event already checked against its contract. */
export async function handlePasswordEvent (deps: UserMailDeps, envelope: Envelope, lastAttempt: boolean): Promise<HandlerResult> {
  const base = deps.authPublicUrl.replace(/\/$/, '')
  if (envelope.type === 'user.password.changed') {
    const data = envelope.data as UserPasswordChangedV1
    return await deliverOnce(deps, {
      eventId: envelope.id,
      template: 'password-changed',
      to: data.email,
      lastAttempt,
      render: () => passwordChangedMail({ changedAt: data.changedAt, via: data.via, forgotLink: `${base}/auth/password/forgot` })
    })
  }
  const data = envelope.data as UserPasswordResetRequestedV1
  let token: string
  try {
    token = unseal(deps.sealKey, data.reset.sealedToken, passwordResetSealContext(data.userId))
  } catch {
    return { kind: 'reject', reason: 'the sealed reset token cannot be opened (TOKEN_SEAL_KEY differs from auth\'s?)' }
  }
  return await deliverOnce(deps, {
    eventId: envelope.id,
    template: 'reset-password',
    to: data.email,
    lastAttempt,
    render: () => resetPasswordMail({ link: `${base}/auth/password/reset?token=${encodeURIComponent(token)}`, expiresAt: data.reset.expiresAt })
  })
}
