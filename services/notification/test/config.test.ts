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

t.test('development needs nothing set: console mail', async (t) => {
  const config = loadNotificationConfig({ DEV_SECRETS_DIR: `/tmp/ds-${randomBytes(4).toString('hex')}` })
  t.equal(config.emailMode, 'console')
  t.equal(config.smtpUrl, undefined)
})
