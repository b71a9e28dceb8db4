// The NATS plugin connects as the service's own user when one is configured, tells refused credentials
// apart from an outage, and never writes a password to the log.
import t from 'tap'
import { randomBytes } from 'node:crypto'
import { startPrivateNats, waitFor } from '@dreamseed/testing'
import { natsConnectOptions, natsPlugin } from '../src/index.js'
import { buildKitApp } from './helper.js'

const password = randomBytes(18).toString('hex')

async function authorizingNats (t: Parameters<typeof startPrivateNats>[0]) {
  return await startPrivateNats(t, { config: `authorization { users = [ { user: "svc", password: "${password}" } ] }\n` })
}

t.test('with its user and password the service connects and is ready', async (t) => {
  const nats = await authorizingNats(t)
  const { app, log } = await buildKitApp(t, async (app) => {
    await app.register(natsPlugin, { servers: nats.url, name: 'kit-test', user: 'svc', password })
  })
  const ready = await waitFor(async () => {
    const body = (await app.ops.inject({ method: 'GET', url: '/health/ready' })).json()
    return body.checks.nats === 'up' ? body : undefined
  }, { what: 'nats ready' })
  t.equal(ready.status, 'ready')
  t.notMatch(log.text(), password, 'the password is never logged')
})

t.test('refused credentials are logged as such, naming the user and never the password', async (t) => {
  const nats = await authorizingNats(t)
  const wrong = randomBytes(18).toString('hex')
  const { app, log } = await buildKitApp(t, async (app) => {
    await app.register(natsPlugin, { servers: nats.url, name: 'kit-test', user: 'svc', password: wrong })
  })
  const line = await waitFor(() => log.lines.find((l) => l.msg === 'nats refused the credentials; retrying'), { what: 'the refusal in the log' })
  t.equal(line.user, 'svc')
  t.equal(line.level, 50, 'an error, not an outage warning')
  const checks = (await app.ops.inject({ method: 'GET', url: '/health/ready' })).json().checks
  t.equal(checks.nats, 'down', 'readiness shows NATS as not connected')
  t.notMatch(log.text(), wrong, 'the password is never logged')
})

t.test('without a user the connection carries no credentials; a user needs a password', async (t) => {
  t.same(natsConnectOptions({ servers: 'nats://a:4222, nats://b:4222', name: 'x' }), { servers: ['nats://a:4222', 'nats://b:4222'], name: 'x' })
  t.same(natsConnectOptions({ servers: 'nats://a:4222', name: 'x', user: 'exam', password: 'p' }), { servers: ['nats://a:4222'], name: 'x', user: 'exam', pass: 'p' })
  t.throws(() => natsConnectOptions({ servers: 'nats://a:4222', name: 'x', user: 'exam' }), /password is needed/)
})
