// Which user events become which mails. Events that need no mail are acknowledged and left alone;
// an event that breaks its contract or whose sealed token cannot be opened is rejected, never guessed at.
import { contractFor, unseal, verificationSealContext, type HandlerResult, type ReceivedEvent, type UserRegistrationRepeatedV1, type UserVerificationRequestedV1 } from '@dreamseed/events'
import { deliverOnce, type DeliverDeps } from './deliver-once.js'
import { accountExistsMail, verifyEmailMail } from './templates.js'
import { handlePasswordEvent, PASSWORD_MAILED } from './password-mails.js'
import { handleInvitationEvent, INVITATION_MAILED } from './invitation-mails.js'

export interface UserMailDeps extends DeliverDeps {
  sealKey: Buffer
  authPublicUrl: string
  /** At most one "you already have an account" mail per address per this many seconds (0: every time). */
  accountExistsIntervalSeconds: number
}


const MAILED = new Set(['user.created.1', 'user.verification.requested.1', 'user.registration.repeated.1', ...PASSWORD_MAILED, ...INVITATION_MAILED])

export async function handleUserEvent (deps: UserMailDeps, event: ReceivedEvent): Promise<HandlerResult> {
  const { envelope } = event
  const key = `${envelope.type}.${envelope.version}`
  if (!MAILED.has(key)) return { kind: 'ack' }
  const contract = contractFor(envelope.type, envelope.version)
  const problems = contract === undefined ? ['unknown contract'] : contract.check(envelope)
  if (problems.length > 0) return { kind: 'reject', reason: `invalid ${key}: ${problems.join('; ')}` }
  if (PASSWORD_MAILED.includes(key)) return await handlePasswordEvent(deps, envelope, event.lastAttempt)
  if (INVITATION_MAILED.includes(key)) return await handleInvitationEvent(deps, envelope, event.lastAttempt)
  const base = deps.authPublicUrl.replace(/\/$/, '')

  if (envelope.type === 'user.registration.repeated') {
    const data = envelope.data as UserRegistrationRepeatedV1
    return await deliverOnce(deps, {
      eventId: envelope.id,
      template: 'account-exists',
      to: data.email,
      lastAttempt: event.lastAttempt,
      // Anyone can register a known address over and over: its owner hears about it once per interval.
      atMostEveryMs: deps.accountExistsIntervalSeconds * 1000,
      render: () => accountExistsMail({ resendLink: `${base}/auth/verification/resend`, forgotLink: `${base}/auth/password/forgot` })
    })
  }

  // user.created carries the same fields (and a role), so one shape serves both verification events.
  const data = envelope.data as UserVerificationRequestedV1
  let token: string
  try {
    token = unseal(deps.sealKey, data.verification.sealedToken, verificationSealContext(data.userId))
  } catch {
    return { kind: 'reject', reason: 'the sealed verification token cannot be opened (TOKEN_SEAL_KEY differs from auth\'s?)' }
  }
  return await deliverOnce(deps, {
    eventId: envelope.id,
    template: 'verify-email',
    to: data.email,
    lastAttempt: event.lastAttempt,
    render: () => verifyEmailMail({ link: `${base}/auth/verify?token=${encodeURIComponent(token)}`, expiresAt: data.verification.expiresAt })
  })
}
