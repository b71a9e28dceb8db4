import t from 'tap'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { ConfigError } from '@dreamseed/kit'
import { loadAuthConfig } from '../src/config.js'

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
