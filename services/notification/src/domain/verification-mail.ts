// The "confirm your address" mail, for user.created and user.verification.requested: its link carries the
// verification token, unsealed here and never logged.
import { verificationSealContext, type UserVerificationRequestedV1 } from '@dreamseed/events'
import { verifyEmailMail } from '../views/mail-templates.js'
import type { MailHandler } from './mail-deps.js'
import { linkBase, sendMailWithToken } from './send-mail.js'

// user.created carries the same fields (and a role), so one shape serves both verification events.
export const sendVerificationMail: MailHandler = async (deps, envelope, event) => {
  const data = envelope.data as UserVerificationRequestedV1
  const sealed = { sealedToken: data.verification.sealedToken, context: verificationSealContext(data.userId), what: 'verification' }
  return await sendMailWithToken(deps, envelope, event, sealed, (token) => ({
    template: 'verify-email',
    to: data.email,
    render: () => verifyEmailMail({ link: `${linkBase(deps)}/auth/verify?token=${encodeURIComponent(token)}`, expiresAt: data.verification.expiresAt })
  }))
}
