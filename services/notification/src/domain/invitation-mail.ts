// The invitation into an organization, for user.invited: who invites, into which organization, with which role,
// until when, and how to answer. The event says nothing about whether the address has an account, so the mail
// serves both: sign in (or register with this address first) and accept or decline.
import type { UserInvitedV1 } from '@dreamseed/events'
import { invitationMail } from '../views/mail-templates.js'
import type { MailHandler } from './mail-deps.js'
import { linkBase, sendMail } from './send-mail.js'

export const sendInvitationMail: MailHandler = async (deps, envelope, event) => {
  const data = envelope.data as UserInvitedV1
  const base = linkBase(deps)
  return await sendMail(deps, envelope, event, {
    template: 'invitation',
    to: data.email,
    render: () => invitationMail({
      inviterName: data.inviterName,
      organizationName: data.organizationName,
      role: data.role,
      expiresAt: data.expiresAt,
      invitationsUrl: `${base}/auth/me/invitations`,
      acceptUrl: `${base}/auth/me/invitations/${data.invitationId}/accept`,
      declineUrl: `${base}/auth/me/invitations/${data.invitationId}/decline`,
      registerUrl: `${base}/auth/register`
    })
  })
}
