// The "you already have an account" mail, for user.registration.repeated: how to reset the password or ask for
// a new confirmation link.
import type { UserRegistrationRepeatedV1 } from '@dreamseed/events'
import { accountExistsMail } from '../views/mail-templates.js'
import type { MailHandler } from './mail-deps.js'
import { linkBase, sendMail } from './send-mail.js'

export const sendAccountExistsMail: MailHandler = async (deps, envelope, event) => {
  const data = envelope.data as UserRegistrationRepeatedV1
  const base = linkBase(deps)
  return await sendMail(deps, envelope, event, {
    template: 'account-exists',
    to: data.email,
    // Anyone can register a known address over and over: its owner hears about it once per interval.
    atMostEveryMs: deps.accountExistsIntervalSeconds * 1000,
    render: () => accountExistsMail({ resendLink: `${base}/auth/verification/resend`, forgotLink: `${base}/auth/password/forgot` })
  })
}
