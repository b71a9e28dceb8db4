// The password reset mail, for user.password_reset.requested: its link carries the reset token, unsealed here
// and never logged.
import { passwordResetSealContext, type UserPasswordResetRequestedV1 } from '@dreamseed/events'
import { resetPasswordMail } from '../views/mail-templates.js'
import type { MailHandler } from './mail-deps.js'
import { linkBase, sendMailWithToken } from './send-mail.js'

export const sendPasswordResetMail: MailHandler = async (deps, envelope, event) => {
  const data = envelope.data as UserPasswordResetRequestedV1
  const sealed = { sealedToken: data.reset.sealedToken, context: passwordResetSealContext(data.userId), what: 'reset' }
  return await sendMailWithToken(deps, envelope, event, sealed, (token) => ({
    template: 'reset-password',
    to: data.email,
    render: () => resetPasswordMail({ link: `${linkBase(deps)}/auth/password/reset?token=${encodeURIComponent(token)}`, expiresAt: data.reset.expiresAt })
  }))
}
