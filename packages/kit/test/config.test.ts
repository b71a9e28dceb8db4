import t from 'tap'
import { mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConfigError, authenticationSettings, commonSettings, devSecret, loadConfig, parse, redisSettings } from '../src/index.js'

const spec = {
  ...commonSettings({ port: 3999, opsPort: 9999, service: 'svc' }),
  ...redisSettings,
  sealKey: { env: 'SEAL_KEY', description: 'a key', parse: parse.key256, secret: true, requiredInProduction: true, default: devSecret('seal') },
  smtpUrl: { env: 'SMTP_URL', description: 'smtp', parse: parse.url(['smtp:']), secret: true, when: (env: Record<string, string | undefined>) => env.EMAIL_MODE === 'smtp' }
}

t.test('development starts with no variables set, using the documented defaults', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ds-secrets-'))
  const config = loadConfig(spec, { DEV_SECRETS_DIR: dir })
  t.equal(config.port, 3999)
  t.equal(config.databaseUrl, 'postgres://postgres@127.0.0.1:5432/dreamseed')
  t.equal(config.dbPoolMax, 10)
  t.equal(config.nodeEnv, 'development')
  t.equal(config.sealKey.length, 32)
  t.equal(config.smtpUrl, undefined, 'SMTP settings are not read unless EMAIL_MODE=smtp')
})

t.test('a generated development secret is shared by every service of the checkout', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ds-secrets-'))
  const a = loadConfig(spec, { DEV_SECRETS_DIR: dir })
  const b = loadConfig(spec, { DEV_SECRETS_DIR: dir })
  t.same(a.sealKey, b.sealKey)
  t.same(readdirSync(dir), ['seal'], 'one file per secret, no temporary leftovers')
})

t.test('production refuses to start without its secrets and names every missing one', async (t) => {
  const err = t.throws(() => loadConfig(spec, { NODE_ENV: 'production' })) as ConfigError
  t.ok(err instanceof ConfigError)
  const missing = err.problems.map((p) => p.split(' ')[0]).sort()
  t.same(missing, ['DATABASE_URL', 'NATS_PASSWORD', 'NATS_URL', 'NATS_USER', 'REDIS_URL', 'SEAL_KEY'])
})

t.test('NATS credentials: none in development, a password with every user, both in production', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ds-'))
  const open = loadConfig(spec, { DEV_SECRETS_DIR: dir })
  t.equal(open.natsUser, '', 'development connects without credentials')
  t.equal(open.natsPassword, undefined)
  const err = t.throws(() => loadConfig(spec, { NATS_USER: 'exam', DEV_SECRETS_DIR: dir })) as ConfigError
  t.match(err.problems, [/^NATS_PASSWORD is required/], 'a user without a password is refused at start')
  const withUser = loadConfig(spec, { NATS_USER: 'exam', NATS_PASSWORD: 'generated-test-password', DEV_SECRETS_DIR: dir })
  t.same([withUser.natsUser, withUser.natsPassword], ['exam', 'generated-test-password'])
  const production = { NODE_ENV: 'production', DATABASE_URL: 'postgres://db/x', NATS_URL: 'nats://nats:4222', REDIS_URL: 'redis://r:6379', SEAL_KEY: Buffer.alloc(32, 1).toString('base64') }
  const refused = t.throws(() => loadConfig(spec, { ...production, NATS_USER: 'exam' })) as ConfigError
  t.same(refused.problems.map((p) => p.split(' ')[0]), ['NATS_PASSWORD'], 'production refuses a user without its password')
  t.equal(loadConfig(spec, { ...production, NATS_USER: 'exam', NATS_PASSWORD: 'generated-test-password' }).natsUser, 'exam')
  const bad = t.throws(() => loadConfig(spec, { NATS_USER: 'ex am', NATS_PASSWORD: 'x', DEV_SECRETS_DIR: dir })) as ConfigError
  t.match(bad.problems, [/^NATS_USER is invalid/])
})

t.test('SMTP settings are required only when EMAIL_MODE=smtp', async (t) => {
  const err = t.throws(() => loadConfig(spec, { EMAIL_MODE: 'smtp', DEV_SECRETS_DIR: mkdtempSync(join(tmpdir(), 'ds-')) })) as ConfigError
  t.match(err.problems, [/^SMTP_URL is required/])
  const ok = loadConfig(spec, { EMAIL_MODE: 'smtp', SMTP_URL: 'smtp://mail:25', DEV_SECRETS_DIR: mkdtempSync(join(tmpdir(), 'ds-')) })
  t.equal(ok.smtpUrl, 'smtp://mail:25')
})

t.test('invalid values are all reported, and a secret value is never echoed', async (t) => {
  const err = t.throws(() => loadConfig(spec, { PORT: 'eighty', DB_POOL_MAX: '0', SEAL_KEY: 'hunter2-not-a-key', DEV_SECRETS_DIR: mkdtempSync(join(tmpdir(), 'ds-')) })) as ConfigError
  t.equal(err.problems.length, 3)
  t.match(err.message, /PORT is invalid: expected a whole number \(got "eighty"\)/)
  t.match(err.message, /DB_POOL_MAX is invalid: expected a number from 1 to 200/)
  t.match(err.message, /SEAL_KEY is invalid/)
  t.notMatch(err.message, /hunter2/)
})

t.test('the operational port is a setting of its own, defaulting per service', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ds-'))
  t.equal(loadConfig(spec, { DEV_SECRETS_DIR: dir }).opsPort, 9999)
  t.equal(loadConfig(spec, { OPS_PORT: '0', DEV_SECRETS_DIR: dir }).opsPort, 0)
  t.match((t.throws(() => loadConfig(spec, { OPS_PORT: 'x', DEV_SECRETS_DIR: dir })) as ConfigError).problems, [/^OPS_PORT is invalid/])
})

t.test('production fetches auth\'s keys over https, or over http only inside the cluster or the host', async (t) => {
  const jwks = { ...commonSettings({ port: 3999, opsPort: 9999, service: 'svc' }), ...authenticationSettings }
  const production = { NODE_ENV: 'production', DATABASE_URL: 'postgres://db/x', NATS_URL: 'nats://nats:4222', NATS_USER: 'svc', NATS_PASSWORD: 'p' }
  for (const url of ['http://auth.example.com/.well-known/jwks.json', 'http://10.0.0.7:3001/.well-known/jwks.json', 'http://auth.dreamseed.example:3001/.well-known/jwks.json']) {
    const err = t.throws(() => loadConfig(jwks, { ...production, AUTH_JWKS_URL: url }), `${url} is refused`) as ConfigError
    t.match(err.problems, [/^AUTH_JWKS_URL is invalid: expected an https:\/\/ URL in production/], 'naming the setting')
  }
  for (const url of ['https://auth.example.com/.well-known/jwks.json', 'http://auth:3001/.well-known/jwks.json', 'http://auth.dreamseed.svc.cluster.local:3001/.well-known/jwks.json', 'http://127.0.0.1:3001/.well-known/jwks.json']) {
    t.equal(loadConfig(jwks, { ...production, AUTH_JWKS_URL: url }).authJwksUrl, url, `${url} is accepted`)
  }
  t.equal(loadConfig(jwks, { AUTH_JWKS_URL: 'http://auth.example.com/.well-known/jwks.json' }).authJwksUrl, 'http://auth.example.com/.well-known/jwks.json', 'development takes http anywhere')
})
