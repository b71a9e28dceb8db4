// The one way a handler sends its event's mail: at most once (deliver-once.ts), and, for a mail that carries a
// token auth sealed, only once the token opened: one that cannot be opened rejects the event, never guessed at.
import { unseal, type Envelope, type HandlerResult } from '@dreamseed/events'
import { deliverOnce, type DeliveryRequest } from './deliver-once.js'
import type { MailDeps } from './mail-deps.js'

export type MailRequest = Omit<DeliveryRequest, 'eventId' | 'lastAttempt'>

export interface SealedToken {
  sealedToken: string
  /** The purpose and user auth sealed it for: a token sealed for another opens nowhere else. */
  context: string
  /** What it is, for the rejection's reason (never the token). */
  what: string
}

/** Where the links in mails point: auth's public URL without a trailing slash. */
export const linkBase = (deps: MailDeps): string => deps.authPublicUrl.replace(/\/$/, '')

export async function sendMail (deps: MailDeps, envelope: Envelope, event: { lastAttempt: boolean }, mail: MailRequest): Promise<HandlerResult> {
  return await deliverOnce(deps, { eventId: envelope.id, lastAttempt: event.lastAttempt, ...mail })
}

export async function sendMailWithToken (deps: MailDeps, envelope: Envelope, event: { lastAttempt: boolean }, sealed: SealedToken, mail: (token: string) => MailRequest): Promise<HandlerResult> {
  let token: string
  try {
    token = unseal(deps.sealKey, sealed.sealedToken, sealed.context)
  } catch {
    return { kind: 'reject', reason: `the sealed ${sealed.what} token cannot be opened (TOKEN_SEAL_KEY differs from auth's?)` }
  }
  return await sendMail(deps, envelope, event, mail(token))
}
