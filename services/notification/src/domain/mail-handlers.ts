// Which user events become which mails: the one table of them, keyed `type.vN`, taken in through the events
// package's handler: events that need no mail are acknowledged and left alone, an event that breaks its
// contract is rejected (never guessed at). Exactly-once is each mail's own (deliver-once.ts), not an inbox.
import { createEventHandler, toHandlerResult, type EventApply, type HandlerResult, type ReceivedEvent } from '@dreamseed/events'
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

export function createMailHandler (deps: MailDeps): (event: ReceivedEvent) => Promise<HandlerResult> {
  const handlers = Object.fromEntries(Object.entries(MAIL_HANDLERS).map(([key, send]): [string, EventApply<undefined, HandlerResult>] =>
    [key, async (_ctx, envelope, event) => await send(deps, envelope, event)]))
  const handler = createEventHandler<undefined, HandlerResult>({ handlers })
  return async (event) => {
    const handled = await handler.handle(event)
    // A mail's own outcome is the answer: sent or a duplicate (ack), a transient SMTP failure (retry), undeliverable (reject).
    return handled.kind === 'applied' ? handled.value : toHandlerResult(handled)
  }
}
