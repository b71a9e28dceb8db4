// The mailer's entry point: a durable consumer of user.* events, each turned into at most one mail.
import { SERVICE_ACCESS, streamFor, startConsumer, type RunningConsumer } from '@dreamseed/events'
import type { FastifyInstance } from 'fastify'
import { createMailHandler } from '../domain/mail-handlers.js'
import type { MailDeps } from '../domain/mail-deps.js'

// Named where notification's NATS permissions are declared: the server lets it run this consumer and no other.
export const MAILER_DURABLE = SERVICE_ACCESS.notification.consumers.mailer.durable

export interface UserMailConsumerOptions {
  prefix: string
  concurrency: number
  maxDeliver: number
  backoffMs: number[]
  ackWaitMs: number
}

export function startUserMailConsumer (app: FastifyInstance, deps: MailDeps, options: UserMailConsumerOptions): RunningConsumer {
  return startConsumer({
    connection: async () => await app.nats.ready(),
    prefix: options.prefix,
    onDeadLetter: () => { app.metrics.deadLetters.inc({ consumer: MAILER_DURABLE }) },
    stream: streamFor(options.prefix, 'user.created'),
    durable: MAILER_DURABLE,
    filterSubject: `${options.prefix}.user.>`,
    maxDeliver: options.maxDeliver,
    backoffMs: options.backoffMs,
    ackWaitMs: options.ackWaitMs,
    concurrency: options.concurrency,
    log: app.log,
    handle: createMailHandler(deps)
  })
}
