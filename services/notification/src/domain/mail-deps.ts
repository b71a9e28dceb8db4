// What the mail handlers need from the outside, and the shape every handler has: passed in, so they never
// see a consumer or a Fastify instance.
import type { EventApply, HandlerResult } from '@dreamseed/events'
import type { DeliverDeps } from './deliver-once.js'

export interface MailDeps extends DeliverDeps {
  /** Opens the tokens auth sealed into its events (the same key as auth's). */
  sealKey: Buffer
  /** The base of the links in mails. */
  authPublicUrl: string
  /** At most one "you already have an account" mail per address per this many seconds (0: every time). */
  accountExistsIntervalSeconds: number
}

/** Turns one event, already checked against its contract, into at most one mail. */
export type MailHandler = EventApply<MailDeps, HandlerResult>
