import t from 'tap'
import { Writable } from 'node:stream'
import pino from 'pino'
import { commonSettings, loadConfig, loggerOptions } from '../src/index.js'

t.test('logs are JSON lines with the service name, and secrets are redacted', async (t) => {
  const lines: string[] = []
  const stream = new Writable({ write (c: Buffer, _e, cb) { lines.push(c.toString()); cb() } })
  const options = loggerOptions('info', 'auth', false)
  t.equal(options.transport, undefined, 'no pretty printing when not on a TTY')
  const log = pino(options, stream)
  log.info({ password: 'hunter2', user: { token: 'abc', passwordHash: '$argon2id$' }, headers: { authorization: 'Bearer x' }, req: { url: '/x', headers: { cookie: 'sid=c00kie' } } }, 'hello')
  const line = JSON.parse(lines[0] ?? '{}')
  t.equal(line.service, 'auth')
  t.equal(line.msg, 'hello')
  t.equal(line.password, '[redacted]')
  t.equal(line.user.token, '[redacted]')
  t.equal(line.user.passwordHash, '[redacted]')
  t.equal(line.headers.authorization, '[redacted]')
  t.same(line.req, { url: '/x' }, 'a request is logged by method and path, never its headers')
  t.notMatch(lines[0], /hunter2|Bearer x|argon2id|c00kie/)
})

t.test('pretty printing only when asked for', async (t) => {
  t.match(loggerOptions('info', 'auth', true).transport, { target: 'pino-pretty' })
  t.equal(loggerOptions('info', 'auth', false).transport, undefined)
})

t.test('LOG_PRETTY: pretty when set, otherwise only at a terminal and never in production', async (t) => {
  const spec = { logPretty: commonSettings({ port: 1, opsPort: 2, service: 'x' }).logPretty }
  t.equal(loadConfig(spec, { LOG_PRETTY: 'true' }).logPretty, true)
  t.equal(loadConfig(spec, { LOG_PRETTY: 'false' }).logPretty, false)
  t.equal(loadConfig(spec, { NODE_ENV: 'production', LOG_PRETTY: 'true' }).logPretty, true, 'an operator may still ask for it')
  const tty = process.stdout.isTTY
  t.teardown(() => { process.stdout.isTTY = tty })
  process.stdout.isTTY = true
  t.equal(loadConfig(spec, {}).logPretty, true, 'a person at a terminal')
  t.equal(loadConfig(spec, { NODE_ENV: 'production' }).logPretty, false, 'production stays JSON even at a terminal')
  process.stdout.isTTY = false
  t.equal(loadConfig(spec, {}).logPretty, false, 'a pipe (turbo, CI, a log collector) gets JSON')
  t.throws(() => loadConfig(spec, { LOG_PRETTY: 'maybe' }), { name: 'ConfigError' })
})
