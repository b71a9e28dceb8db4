import t from 'tap'
import { Writable } from 'node:stream'
import pino from 'pino'
import { loggerOptions } from '../src/index.js'

t.test('logs are JSON lines with the service name, and secrets are redacted', async (t) => {
  const lines: string[] = []
  const stream = new Writable({ write (c: Buffer, _e, cb) { lines.push(c.toString()); cb() } })
  const options = loggerOptions('info', 'auth', { isTTY: false })
  t.equal(options.transport, undefined, 'no pretty printing when not on a TTY')
  const log = pino(options, stream)
  log.info({ password: 'hunter2', user: { token: 'abc', passwordHash: '$argon2id$' }, req: { headers: { authorization: 'Bearer x' } } }, 'hello')
  const line = JSON.parse(lines[0] ?? '{}')
  t.equal(line.service, 'auth')
  t.equal(line.msg, 'hello')
  t.equal(line.password, '[redacted]')
  t.equal(line.user.token, '[redacted]')
  t.equal(line.user.passwordHash, '[redacted]')
  t.equal(line.req.headers.authorization, '[redacted]')
  t.notMatch(lines[0], /hunter2|Bearer x|argon2id/)
})

t.test('pretty printing only at a TTY', async (t) => {
  t.match(loggerOptions('info', 'auth', { isTTY: true }).transport, { target: 'pino-pretty' })
})
