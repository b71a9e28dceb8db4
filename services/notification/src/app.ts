// Builds the notification service: kit plugins, its database and NATS, the mail transport and the consumer
// that turns user events into mails. It never listens and never reads process.env.
import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { Counter } from 'prom-client'
import * as notificationTables from '@dreamseed/schema/notification'
import { createFastify, openApiPlugin, databasePlugin, kitPlugin, natsPlugin, registerConsumer } from '@dreamseed/kit'
import type { NotificationConfig } from './config.js'
import { mailerPlugin, isPermanentMailError } from './plugins/mailer.js'
import { createEmailDeliveriesRepository } from './repositories/email-deliveries-repository.js'
import { startUserMailConsumer } from './consumers/user-mail-consumer.js'
import type { MailDeps } from './domain/mail-deps.js'

declare module 'fastify' {
  interface FastifyInstance {
    mailConsumer: { started: () => Promise<void> }
  }
}

export interface BuildOptions {
  logger?: Logger
}

export async function buildApp (config: NotificationConfig, options: BuildOptions = {}) {
  const app = createFastify({ serviceName: config.serviceName, logLevel: config.logLevel, logPretty: config.logPretty, bodyLimit: config.bodyLimit, trustProxy: config.trustProxy, ...(options.logger === undefined ? {} : { logger: options.logger }) })
  await app.register(kitPlugin)
  await app.register(openApiPlugin, { title: 'DreamSeed notification', description: 'Sends mail for user events. It has no public API: health, metrics and this document are on its operational port (OPS_PORT).' })
  await app.register(databasePlugin, { settings: config, schema: notificationTables })
  await app.register(natsPlugin, { servers: config.natsUrl, name: config.serviceName, user: config.natsUser, password: config.natsPassword })
  await app.register(mailerPlugin, { mode: config.emailMode, ...(config.smtpUrl === undefined ? {} : { smtpUrl: config.smtpUrl }), from: config.mailFrom, timeoutMs: config.smtpTimeoutMs })

  const deliveries = new Counter({
    name: 'notification_mail_deliveries_total',
    help: 'Mail delivery attempts by template and outcome (sent, duplicate, retry, failed)',
    labelNames: ['template', 'outcome'],
    registers: [app.metrics.registry]
  })
  const deps: MailDeps = {
    deliveries: createEmailDeliveriesRepository(app.database.db),
    mailer: app.mailer,
    isPermanent: isPermanentMailError,
    leaseMs: config.mailerAckWaitMs,
    record: (template, outcome) => { deliveries.inc({ template, outcome }) },
    sealKey: config.tokenSealKey,
    authPublicUrl: config.authPublicUrl,
    accountExistsIntervalSeconds: config.accountExistsIntervalSeconds
  }
  app.decorate('mailConsumer', await registerConsumer(app, {
    name: 'mail-consumer',
    start: (instance: FastifyInstance) => startUserMailConsumer(instance, deps, {
      prefix: config.eventsPrefix,
      concurrency: config.mailerConcurrency,
      maxDeliver: config.mailerMaxDeliver,
      backoffMs: config.mailerBackoffMs,
      ackWaitMs: config.mailerAckWaitMs
    })
  }))
  return app
}

export type NotificationApp = Awaited<ReturnType<typeof buildApp>>
export { loadNotificationConfig, notificationSettings, type NotificationConfig } from './config.js'
export { MAILER_DURABLE } from './consumers/user-mail-consumer.js'
