// Builds notification against the real Postgres, NATS and a real SMTP server started by the test.
import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { connect } from '@nats-io/transport-node'
import { migrateDatabase } from '@dreamseed/schema/migrate'
import { createTestDatabase, createTestStreams, startSmtpServer, waitForConsumerIdle, NATS_URL, type TestSmtp } from '@dreamseed/testing'
import { applyStreams, newEnvelope, newEventId, publishEnvelope, seal, streamFor, userCreatedV1, verificationSealContext, type Envelope } from '@dreamseed/events'
import { buildApp, loadNotificationConfig } from '../src/app.js'
import type { BuildOptions } from '../src/app.js'
import { MAILER_DURABLE } from '../src/consumers/user-mail-consumer.js'

interface T { teardown: (fn: () => unknown) => void }

export async function buildNotification (t: T, env: Record<string, string> = {}, options: BuildOptions & { smtp?: TestSmtp } = {}) {
  const databaseUrl = await createTestDatabase(t, migrateDatabase)
  const prefix = await createTestStreams(t, applyStreams)
  const smtp = options.smtp ?? await startSmtpServer(t)
  const sealKey = randomBytes(32)
  const config = loadNotificationConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl,
    EVENTS_PREFIX: prefix,
    TOKEN_SEAL_KEY: sealKey.toString('base64'),
    EMAIL_MODE: 'smtp',
    SMTP_URL: smtp.url,
    AUTH_PUBLIC_URL: 'http://auth.test',
    MAILER_BACKOFF_MS: '100,200,400',
    MAILER_ACK_WAIT_MS: '2000',
    ...env
  })
  const app = await buildApp(config, options)
  await app.ready()
  await app.mailConsumer.started()
  const sql = postgres(databaseUrl, { max: 2, onnotice: () => {} })
  const nc = await connect({ servers: NATS_URL })
  t.teardown(async () => { await nc.close() })
  t.teardown(async () => { await sql.end() })
  t.teardown(async () => { await app.close() })
  const publish = async (envelope: Envelope) => await publishEnvelope(nc, prefix, envelope)
  /** Resolves once the mailer has delivered and settled every event in the stream: count mails after it. */
  const mailerIdle = async () => await waitForConsumerIdle(nc, streamFor(prefix, 'user.created'), MAILER_DURABLE)
  return { app, config, sql, smtp, sealKey, prefix, nc, publish, mailerIdle }
}

export function userCreated (sealKey: Buffer, overrides: { email?: string, token?: string } = {}) {
  const userId = newEventId()
  const token = overrides.token ?? randomBytes(32).toString('base64url')
  const envelope = newEnvelope(userCreatedV1, {
    userId,
    email: overrides.email ?? `u.${randomBytes(3).toString('hex')}@example.org`,
    displayName: 'Ann <b>Smith</b>',
    role: 'student',
    verification: { sealedToken: seal(sealKey, token, verificationSealContext(userId)), expiresAt: new Date(Date.now() + 86400_000).toISOString() }
  })
  return { envelope, token }
}
