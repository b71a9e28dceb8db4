// The notice that a password was changed, for user.password.changed: it reaches the owner even when someone
// else changed it, with the way to choose a new one.
import type { UserPasswordChangedV1 } from '@dreamseed/events'
import { passwordChangedMail } from '../views/mail-templates.js'
import type { MailHandler } from './mail-deps.js'
import { linkBase, sendMail } from './send-mail.js'

export const sendPasswordChangedMail: MailHandler = async (deps, envelope, event) => {
  const data = envelope.data as UserPasswordChangedV1
  return await sendMail(deps, envelope, event, {
    template: 'password-changed',
    to: data.email,
    render: () => passwordChangedMail({ changedAt: data.changedAt, via: data.via, forgotLink: `${linkBase(deps)}/auth/password/forgot` })
  })
}
