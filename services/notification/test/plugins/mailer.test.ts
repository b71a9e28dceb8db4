// The mail transport (plugins/mailer.ts): over TLS, as production demands it (SMTP_URL with requireTLS=true),
// through STARTTLS with the server's certificate checked and never in clear to a server that does not offer it;
// in console mode, into the log.
import t from 'tap'
import { randomBytes } from 'node:crypto'
import { startSmtpServer, testCertificate, waitFor } from '@dreamseed/testing'
import { loadNotificationConfig } from '../../src/config.js'
import { buildNotification, userCreated } from '../helper.js'

/** STARTTLS required, and the test's own authority trusted (as tls.ca; a real relay's is in the system store). */
const startTlsUrl = (port: number): string => `smtp://localhost:${port}?requireTLS=true&tls.ca=${encodeURIComponent(testCertificate().cert)}`

t.test('with STARTTLS required the mail goes out over TLS, the server\'s certificate checked; production accepts the URL', async (t) => {
  const smtp = await startSmtpServer(t, { tls: testCertificate() })
  const url = startTlsUrl(smtp.port)
  const production = { NODE_ENV: 'production', DATABASE_URL: 'postgres://u:p@db/x', NATS_URL: 'nats://nats:4222', NATS_USER: 'notification', NATS_PASSWORD: 'p', AUTH_PUBLIC_URL: 'https://auth.school.example', TOKEN_SEAL_KEY: randomBytes(32).toString('base64'), EMAIL_MODE: 'smtp', SMTP_URL: url }
  t.equal(loadNotificationConfig(production).smtpUrl, url, 'a URL production accepts')

  const { sealKey, publish, sql } = await buildNotification(t, { SMTP_URL: url }, { smtp })
  const { envelope, token } = userCreated(sealKey)
  await publish(envelope)
  const [mail] = await waitFor(() => smtp.mailsTo(envelope.data.email).length === 1 && smtp.mailsTo(envelope.data.email), { what: 'the mail' })
  t.equal(mail?.secure, true, 'received over TLS')
  t.match(mail?.text, token, 'the whole mail')
  t.same((await sql`select status from notification.email_deliveries`).map((r) => r.status), ['sent'])
})

t.test('with STARTTLS required, a server that does not offer it never gets the mail', async (t) => {
  const plain = await startSmtpServer(t)
  const { sealKey, publish, sql } = await buildNotification(t, { SMTP_URL: startTlsUrl(plain.port) }, { smtp: plain })
  const { envelope } = userCreated(sealKey)
  await publish(envelope)
  // The server refuses STARTTLS for good (5xx): the delivery fails, a dead letter to replay once the relay is fixed.
  const [delivery] = await waitFor(async () => {
    const rows = await sql`select status, last_error from notification.email_deliveries`
    return rows[0]?.status === 'failed' && rows
  }, { what: 'the delivery to fail' })
  t.match(delivery?.last_error, /STARTTLS/, 'for want of STARTTLS')
  t.equal(plain.mails.length, 0, 'nothing was sent in clear')
})

t.test('with STARTTLS required, a server whose certificate is not trusted never gets the mail', async (t) => {
  const smtp = await startSmtpServer(t, { tls: testCertificate() })
  const { sealKey, publish, sql } = await buildNotification(t, { SMTP_URL: `smtp://localhost:${smtp.port}?requireTLS=true` }, { smtp })
  const { envelope } = userCreated(sealKey)
  await publish(envelope)
  const [delivery] = await waitFor(async () => {
    const rows = await sql`select status, last_error from notification.email_deliveries`
    return typeof rows[0]?.last_error === 'string' && rows
  }, { what: 'a failed attempt' })
  t.match(delivery?.last_error, /certificate/, 'the certificate is checked')
  t.equal(smtp.mails.length, 0, 'nothing was sent')
})

t.test('console mode logs the mail instead of sending it', async (t) => {
  const { captureLogger } = await import('@dreamseed/testing')
  const log = captureLogger('info')
  const { smtp, sealKey, publish } = await buildNotification(t, { EMAIL_MODE: 'console', LOG_LEVEL: 'info' }, { logger: log.logger })
  const { envelope, token } = userCreated(sealKey)
  await publish(envelope)
  const line = await waitFor(() => log.lines.find((l) => l.msg === 'mail (EMAIL_MODE=console)'))
  t.match(JSON.stringify(line), token)
  t.equal(smtp.mails.length, 0)
})
