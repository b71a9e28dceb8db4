// Which user events become which mails: the one table of them, keyed `type.vN`. Events that need no mail are
// acknowledged and left alone; an event that breaks its contract is rejected, never guessed at.
import { contractFor, type HandlerResult, type ReceivedEvent } from '@dreamseed/events'
import type { MailDeps, MailHandler } from './mail-deps.js'
import { sendVerificationMail } from './verification-mail.js'
import { sendAccountExistsMail } from './account-exists-mail.js'
import { sendPasswordResetMail } from './password-reset-mail.js'
import { sendPasswordChangedMail } from './password-changed-mail.js'
import { sendInvitationMail } from './invitation-mail.js'

const MAIL_HANDLERS: Record<string, MailHandler> = {
  'user.created.v1': sendVerificationMail,
  'user.verification.requested.v1': sendVerificationMail,
  'user.registration.repeated.v1': sendAccountExistsMail,
  'user.password_reset.requested.v1': sendPasswordResetMail,
  'user.password.changed.v1': sendPasswordChangedMail,
  'user.invited.v1': sendInvitationMail
}

export async function handleUserEvent (deps: MailDeps, event: ReceivedEvent): Promise<HandlerResult> {
  const { envelope } = event
  const key = `${envelope.type}.v${envelope.version}`
  const send = MAIL_HANDLERS[key]
  if (send === undefined) return { kind: 'ack' }
  const contract = contractFor(envelope.type, envelope.version)
  const problems = contract === undefined ? ['unknown contract'] : contract.check(envelope)
  if (problems.length > 0) return { kind: 'reject', reason: `invalid ${key}: ${problems.join('; ')}` }
  return await send(deps, envelope, event)
}
