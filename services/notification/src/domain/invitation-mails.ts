// The invitation into an organization: who invites, into which organization, with which role, until when, and
// how to answer. The event says nothing about whether the address has an account, so the mail serves both:
// sign in (or register with this address first) and accept or decline.
import type { Envelope, HandlerResult, UserInvitedV1 } from '@dreamseed/events'
import { deliverOnce } from './deliver-once.js'
import { invitationMail } from './templates.js'
import type { UserMailDeps } from './user-mails.js'

export const INVITATION_MAILED = ['user.invited.1']

/** Handles an event already checked against its contract. */
export async function handleInvitationEvent (deps: UserMailDeps, envelope: Envelope, lastAttempt: boolean): Promise<HandlerResult> {
  const base = deps.authPublicUrl.replace(/\/$/, '')
  const data = envelope.data as UserInvitedV1
  return await deliverOnce(deps, {
    eventId: envelope.id,
    template: 'invitation',
    to: data.email,
    lastAttempt,
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
