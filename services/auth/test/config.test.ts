import t from 'tap'
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { ConfigError } from '@dreamseed/kit'
import { loadAuthConfig } from '../src/config.js'
import { signingKeyFromSeed } from '../src/domain/signing-key.js'

t.test('production refuses to start without its secrets and says which are missing', async (t) => {
  const err = t.throws(() => loadAuthConfig({ NODE_ENV: 'production' })) as ConfigError
  const named = err.problems.map((p) => p.split(' ')[0]).sort()
  t.same(named, ['AUTH_SIGNING_KEY', 'DATABASE_URL', 'NATS_PASSWORD', 'NATS_URL', 'NATS_USER', 'PUBLIC_URL', 'REDIS_URL', 'TOKEN_SEAL_KEY'])
})

t.test('the server exits with the list of problems instead of starting', async (t) => {
  const server = fileURLToPath(new URL('../src/server.ts', import.meta.url))
  const run = spawnSync(process.execPath, ['--conditions=dreamseed-source', '--import', 'tsx', server], { env: { PATH: process.env.PATH, NODE_ENV: 'production', DATABASE_URL: 'postgres://u:p@db/x' }, encoding: 'utf8', timeout: 30000 })
  t.equal(run.status, 1)
  t.match(run.stderr, /TOKEN_SEAL_KEY is required in production/)
  t.match(run.stderr, /NATS_URL is required in production/)
  t.match(run.stderr, /NATS_USER is required in production/, 'no NATS credentials, no start')
  t.notMatch(run.stderr, /DATABASE_URL/, 'a variable that is set is not reported')
})

t.test('the next and previous signing keys are optional, checked like the signing key, and each key is given once', async (t) => {
  const seed = () => randomBytes(32).toString('base64')
  const base = { NODE_ENV: 'test', TOKEN_SEAL_KEY: seed(), AUTH_SIGNING_KEY: seed() }
  const plain = loadAuthConfig(base)
  t.same([plain.signingKeyNext, plain.signingKeyPrevious], [null, null], 'none by default')
  const rotating = loadAuthConfig({ ...base, AUTH_SIGNING_KEY_NEXT: seed(), AUTH_SIGNING_KEY_PREVIOUS: seed() })
  t.same([rotating.signingKeyNext?.asymmetricKeyType, rotating.signingKeyPrevious?.asymmetricKeyType], ['ed25519', 'ed25519'])

  const bad = t.throws(() => loadAuthConfig({ ...base, AUTH_SIGNING_KEY_NEXT: 'c2hvcnQ=' })) as ConfigError
  t.same(bad.problems, ['AUTH_SIGNING_KEY_NEXT is invalid: expected a 32-byte seed'], 'the value itself is not echoed')

  // The same key as a seed and as a PEM is still the same key.
  const pem = signingKeyFromSeed(Buffer.from(base.AUTH_SIGNING_KEY, 'base64')).export({ format: 'pem', type: 'pkcs8' }).toString()
  const twice = t.throws(() => loadAuthConfig({ ...base, AUTH_SIGNING_KEY_PREVIOUS: pem })) as ConfigError
  t.same(twice.problems, ['AUTH_SIGNING_KEY_PREVIOUS is invalid: the same key as AUTH_SIGNING_KEY (each key is published once)'])
  const next = seed()
  const thrice = t.throws(() => loadAuthConfig({ ...base, AUTH_SIGNING_KEY_NEXT: next, AUTH_SIGNING_KEY_PREVIOUS: next })) as ConfigError
  t.same(thrice.problems, ['AUTH_SIGNING_KEY_PREVIOUS is invalid: the same key as AUTH_SIGNING_KEY_NEXT (each key is published once)'])
})

t.test('production refuses a public address that is not https, naming PUBLIC_URL; development takes http', async (t) => {
  const production = { NODE_ENV: 'production', DATABASE_URL: 'postgres://u:p@db/x', NATS_URL: 'nats://nats:4222', NATS_USER: 'auth', NATS_PASSWORD: 'p', REDIS_URL: 'redis://r:6379', TOKEN_SEAL_KEY: randomBytes(32).toString('base64'), AUTH_SIGNING_KEY: randomBytes(32).toString('base64') }
  const plain = t.throws(() => loadAuthConfig({ ...production, PUBLIC_URL: 'http://auth.school.example' })) as ConfigError
  t.same(plain.problems, ['PUBLIC_URL is invalid: expected an https:// URL in production (got "http://auth.school.example")'])
  t.equal(loadAuthConfig({ ...production, PUBLIC_URL: 'https://auth.school.example' }).publicUrl, 'https://auth.school.example')
  t.equal(loadAuthConfig({ NODE_ENV: 'test', PUBLIC_URL: 'http://127.0.0.1:3001', TOKEN_SEAL_KEY: production.TOKEN_SEAL_KEY, AUTH_SIGNING_KEY: production.AUTH_SIGNING_KEY }).publicUrl, 'http://127.0.0.1:3001')
})
