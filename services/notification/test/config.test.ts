import t from 'tap'
import { randomBytes } from 'node:crypto'
import { ConfigError } from '@dreamseed/kit'
import { loadNotificationConfig } from '../src/config.js'

const productionBase = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://u:p@db/x',
  NATS_URL: 'nats://nats:4222',
  NATS_USER: 'notification',
  NATS_PASSWORD: randomBytes(18).toString('hex'),
  AUTH_PUBLIC_URL: 'https://auth.school.example',
  TOKEN_SEAL_KEY: randomBytes(32).toString('base64')
}

t.test('production without settings names every missing one, and never asks for Redis (notification does not use it)', async (t) => {
  const err = t.throws(() => loadNotificationConfig({ NODE_ENV: 'production' })) as ConfigError
  t.same(err.problems.map((p) => p.split(' ')[0]).sort(), ['AUTH_PUBLIC_URL', 'DATABASE_URL', 'EMAIL_MODE', 'NATS_PASSWORD', 'NATS_URL', 'NATS_USER', 'TOKEN_SEAL_KEY'])
})

t.test('production refuses console mail (it would write links into the logs) and needs SMTP_URL for smtp', async (t) => {
  const console = t.throws(() => loadNotificationConfig({ ...productionBase, EMAIL_MODE: 'console' })) as ConfigError
  t.match(console.problems, [/EMAIL_MODE=console is not allowed in production/])
  const noUrl = t.throws(() => loadNotificationConfig({ ...productionBase, EMAIL_MODE: 'smtp' })) as ConfigError
  t.match(noUrl.problems, [/^SMTP_URL is required/])
  const ok = loadNotificationConfig({ ...productionBase, EMAIL_MODE: 'smtp', SMTP_URL: 'smtps://user:pass@mail.example:465' })
  t.equal(ok.emailMode, 'smtp')
})

t.test('production sends mail over TLS only (smtps, or STARTTLS required) and links with https, naming the setting', async (t) => {
  const smtp = (url: string) => ({ ...productionBase, EMAIL_MODE: 'smtp', SMTP_URL: url })
  for (const url of ['smtp://user:pass@mail.example:587', 'smtp://user:pass@mail.example:587?requireTLS=false', 'smtp://user:pass@mail.example:25?ignoreTLS=true']) {
    const err = t.throws(() => loadNotificationConfig(smtp(url)), 'plain or opportunistic SMTP is refused') as ConfigError
    t.same(err.problems, ['SMTP_URL is invalid: expected TLS in production: smtps://, or smtp://…?requireTLS=true (STARTTLS required)'], 'naming SMTP_URL, never its value')
  }
  const unchecked = t.throws(() => loadNotificationConfig(smtp('smtps://user:pass@mail.example:465?tls.rejectUnauthorized=false'))) as ConfigError
  t.match(unchecked.problems, [/^SMTP_URL is invalid: expected the server's certificate to be checked/])
  t.equal(loadNotificationConfig(smtp('smtps://user:pass@mail.example:465')).smtpUrl, 'smtps://user:pass@mail.example:465', 'smtps is accepted')
  t.equal(loadNotificationConfig(smtp('smtp://user:pass@mail.example:587?requireTLS=true')).smtpUrl, 'smtp://user:pass@mail.example:587?requireTLS=true', 'STARTTLS required is accepted')

  const links = t.throws(() => loadNotificationConfig({ ...smtp('smtps://mail.example'), AUTH_PUBLIC_URL: 'http://auth.school.example' })) as ConfigError
  t.same(links.problems, ['AUTH_PUBLIC_URL is invalid: expected an https:// URL in production (got "http://auth.school.example")'])
})

t.test('development sends over plain SMTP and links with http', async (t) => {
  const config = loadNotificationConfig({ EMAIL_MODE: 'smtp', SMTP_URL: 'smtp://127.0.0.1:1025', AUTH_PUBLIC_URL: 'http://127.0.0.1:3001', DEV_SECRETS_DIR: `/tmp/ds-${randomBytes(4).toString('hex')}` })
  t.same([config.smtpUrl, config.authPublicUrl], ['smtp://127.0.0.1:1025', 'http://127.0.0.1:3001'])
})

t.test('development needs nothing set: console mail', async (t) => {
  const config = loadNotificationConfig({ DEV_SECRETS_DIR: `/tmp/ds-${randomBytes(4).toString('hex')}` })
  t.equal(config.emailMode, 'console')
  t.equal(config.smtpUrl, undefined)
})
