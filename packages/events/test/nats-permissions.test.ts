// The permissions rendered for each NATS user, read the way nats-server reads them: a subject is allowed
// when an allow pattern matches it and no deny pattern does ('*' is one token, '>' the rest).
import t from 'tap'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CATALOG, NATS_USERS, STREAMS, declaredConsumers, natsAuthorizationConfig, natsHelmValues, natsPasswordVariable, natsPermissions, streamName, type NatsPermissions, type NatsUser } from '../src/index.js'

const prefix = 'dreamseed'
const permissions = natsPermissions(prefix)
const stream = (name: string): string => streamName(prefix, STREAMS.find((s) => s.name === name)!)

function matches (pattern: string, subject: string): boolean {
  const p = pattern.split('.')
  const s = subject.split('.')
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return s.length > i
    if (i >= s.length || (p[i] !== '*' && p[i] !== s[i])) return false
  }
  return p.length === s.length
}
const mayPublish = (p: NatsPermissions, subject: string): boolean =>
  p.publish.allow.some((a) => matches(a, subject)) && !p.publish.deny.some((d) => matches(d, subject))
const maySubscribe = (p: NatsPermissions, subject: string): boolean => p.subscribe.allow.some((a) => matches(a, subject))
const usersAllowed = (subject: string): NatsUser[] => NATS_USERS.filter((u) => mayPublish(permissions[u], subject))

t.test('the matcher reads wildcards as nats-server does', async (t) => {
  t.ok(matches('a.>', 'a.b.c'))
  t.notOk(matches('a.>', 'a'))
  t.ok(matches('a.*.c', 'a.b.c'))
  t.notOk(matches('a.*', 'a.b.c'))
  t.notOk(matches('a.b', 'a.b.c'))
})

t.test('every event can be published by the service that produces it, and by no other user', async (t) => {
  t.ok(CATALOG.length >= 19, 'the whole catalog is checked')
  for (const contract of CATALOG) {
    t.same(usersAllowed(contract.subject(prefix)), [contract.producer], `${contract.type}.v${contract.version}: ${contract.producer} alone`)
  }
  // The forged event of the incident, by name.
  t.same(usersAllowed(`${prefix}.user.registration.repeated.v1`), ['auth'])
})

t.test('each user\'s subjects under the prefix: its streams\' events, its own dead letters, the admin\'s replays', async (t) => {
  const own = (user: NatsUser): string[] => permissions[user].publish.allow.filter((s) => s.startsWith(`${prefix}.`))
  t.same(own('auth'), [`${prefix}.user.>`, `${prefix}.organization.>`, `${prefix}.classroom.>`])
  t.same(own('exam'), [`${prefix}.exam.>`, `${prefix}.deadletter.exam-classrooms`, `${prefix}.deadletter.exam-accommodations`, `${prefix}.deadletter.exam-promotions`])
  t.same(own('analytics'), [`${prefix}.analytics.>`, `${prefix}.deadletter.analytics-users`, `${prefix}.deadletter.analytics-organizations`, `${prefix}.deadletter.analytics-exams`])
  t.same(own('notification'), [`${prefix}.deadletter.notification-mailer`])
  t.same(own('subscriber'), [])
  t.same(own('admin'), [`${prefix}.replay.>`])
  t.same(usersAllowed(`${prefix}.deadletter.notification-mailer`), ['notification'], 'a dead letter is filed by its consumer\'s service')
  t.same(usersAllowed(`${prefix}.replay.notification-mailer`), ['admin'], 'replays come from the dead-letters CLI')
})

t.test('each service runs its own durable consumers (and their replays), and nobody else\'s', async (t) => {
  const declared = declaredConsumers()
  t.equal(declared.length, 7, 'exam 3, analytics 3, notification 1')
  t.equal(new Set(declared.map((c) => c.durable)).size, declared.length, 'durable names are unique')
  for (const { service, durable, stream: name } of declared) {
    const s = stream(name)
    const calls = [
      `$JS.API.CONSUMER.INFO.${s}.${durable}`,
      `$JS.API.CONSUMER.CREATE.${s}.${durable}.${prefix}.x.>`,
      `$JS.API.CONSUMER.MSG.NEXT.${s}.${durable}`,
      `$JS.ACK.${s}.${durable}.1.5.5.1700000000000000000.0`,
      `$JS.API.CONSUMER.MSG.NEXT.${stream('REPLAYS')}.${durable}-replay`,
      `$JS.API.STREAM.MSG.GET.${s}`
    ]
    for (const call of calls) t.ok(mayPublish(permissions[service], call), `${service}: ${call}`)
    for (const other of NATS_USERS.filter((u) => u !== service && u !== 'admin')) {
      t.notOk(mayPublish(permissions[other], calls[1]!), `${other} cannot create or update ${durable}`)
      t.notOk(mayPublish(permissions[other], calls[2]!), `${other} cannot pull from ${durable}`)
      t.notOk(mayPublish(permissions[other], calls[3]!), `${other} cannot acknowledge for ${durable}`)
      t.notOk(mayPublish(permissions[other], `$JS.API.CONSUMER.DELETE.${s}.${durable}`), `${other} cannot delete ${durable}`)
    }
    t.ok(maySubscribe(permissions[service], `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${s}.${durable}`), `${service} hears ${durable}'s max-deliveries advisories`)
  }
  t.notOk(mayPublish(permissions.notification, `$JS.API.CONSUMER.CREATE.${stream('EXAMS')}.notification-mailer`), 'a service reads only the streams it consumes')
})

t.test('the subscriber consumes every event stream with consumers of its own, and changes nothing', async (t) => {
  const p = permissions.subscriber
  const eventStreams = ['USERS', 'ORGANIZATIONS', 'EXAMS', 'ANALYTICS']
  for (const name of eventStreams) {
    const s = stream(name)
    t.ok(mayPublish(p, `$JS.API.CONSUMER.CREATE.${s}.team-reports.${prefix}.exam.session.completed.v1`), `${name}: creates its durable with a filter`)
    t.ok(mayPublish(p, `$JS.API.CONSUMER.MSG.NEXT.${s}.team-reports`), `${name}: pulls`)
    t.ok(mayPublish(p, `$JS.ACK.${s}.team-reports.1.2.2.1700000000000000000.0`), `${name}: acknowledges`)
    for (const verb of ['CREATE', 'UPDATE', 'DELETE', 'PURGE']) t.notOk(mayPublish(p, `$JS.API.STREAM.${verb}.${s}`), `${name}: no ${verb} of the stream`)
    t.notOk(mayPublish(p, `$JS.API.STREAM.MSG.DELETE.${s}`), `${name}: deletes no message`)
  }
  for (const name of ['DEADLETTERS', 'REPLAYS']) t.notOk(mayPublish(p, `$JS.API.CONSUMER.CREATE.${stream(name)}.team-reports`), `${name} is not for outside readers`)
  t.same(p.subscribe.allow, ['_INBOX.>'], 'no core subscription to event subjects')
})

t.test('only the admin manages streams', async (t) => {
  for (const verb of ['CREATE', 'UPDATE', 'DELETE', 'PURGE']) {
    t.same(usersAllowed(`$JS.API.STREAM.${verb}.${stream('USERS')}`), ['admin'], `STREAM.${verb}`)
  }
  t.same(usersAllowed(`$JS.API.STREAM.MSG.DELETE.${stream('DEADLETTERS')}`), ['admin'], 'discarding a dead letter')
  t.same(usersAllowed('$JS.API.INFO'), [...NATS_USERS], 'everyone may ask for the account\'s JetStream info')
})

t.test('the rendered block is a configuration nats-server accepts, with every user and its password', async (t) => {
  const passwords = Object.fromEntries(NATS_USERS.map((u) => [u, `test-password-${u}`])) as Record<NatsUser, string>
  const text = natsAuthorizationConfig(prefix, passwords)
  for (const user of NATS_USERS) t.match(text, `user: "${user}"\n      password: "test-password-${user}"`, `${user} with its password`)
  const dir = mkdtempSync(join(tmpdir(), 'ds-nats-conf-'))
  writeFileSync(join(dir, 'plain.conf'), text)
  const plain = spawnSync(process.env.NATS_SERVER_BIN ?? 'nats-server', ['-t', '-c', join(dir, 'plain.conf')], { encoding: 'utf8' })
  t.equal(plain.status, 0, plain.stderr)
  const refs = natsAuthorizationConfig(prefix, Object.fromEntries(NATS_USERS.map((u) => [u, { env: `NATS_PASSWORD_${u.toUpperCase()}` }])) as Record<NatsUser, { env: string }>)
  t.match(refs, 'password: $NATS_PASSWORD_EXAM')
  writeFileSync(join(dir, 'refs.conf'), refs)
  const env = { ...process.env, ...Object.fromEntries(NATS_USERS.map((u) => [`NATS_PASSWORD_${u.toUpperCase()}`, 'x'])) }
  const withEnv = spawnSync(process.env.NATS_SERVER_BIN ?? 'nats-server', ['-t', '-c', join(dir, 'refs.conf')], { encoding: 'utf8', env })
  t.equal(withEnv.status, 0, withEnv.stderr)
  t.throws(() => natsAuthorizationConfig(prefix, { ...passwords, admin: '' }), /no NATS password for admin/)
})

t.test('the Helm values carry the same users and permissions, with each password from the pod\'s environment', async (t) => {
  const values = natsHelmValues(prefix) as { config: { merge: { authorization: { users: Array<{ user: NatsUser, password: string, permissions: { publish: { allow: string[], deny?: string[] }, subscribe: { allow: string[] } } }> } } } }
  const users = values.config.merge.authorization.users
  t.same(users.map((u) => u.user), [...NATS_USERS])
  for (const u of users) {
    t.equal(u.password, `<< $NATS_PASSWORD_${u.user.toUpperCase()} >>`)
    t.same(u.permissions.publish.allow, permissions[u.user].publish.allow)
    t.same(u.permissions.publish.deny ?? [], permissions[u.user].publish.deny)
    t.same(u.permissions.subscribe.allow, permissions[u.user].subscribe.allow)
  }
})

t.test('nats:config prints the block with the passwords from the environment, and refuses without them', async (t) => {
  const cli = (env: Record<string, string>, ...args: string[]) => spawnSync(process.execPath, ['--conditions=dreamseed-source', '--import', 'tsx', 'src/cli/nats-config.ts', ...args], {
    env: { PATH: process.env.PATH ?? '', EVENTS_PREFIX: 'teamx', ...env }, encoding: 'utf8', cwd: join(import.meta.dirname, '..')
  })
  const passwords = Object.fromEntries(NATS_USERS.map((u) => [u, `generated-${u}`])) as Record<NatsUser, string>
  const env = Object.fromEntries(NATS_USERS.map((u) => [natsPasswordVariable(u), passwords[u]]))
  const ok = cli(env)
  t.equal(ok.status, 0, ok.stderr)
  t.ok(ok.stdout.endsWith(natsAuthorizationConfig('teamx', passwords)), 'the block for EVENTS_PREFIX, with each password')
  t.match(ok.stdout, /^# .*readable by the NATS server's user alone/m)
  const { NATS_PASSWORD_EXAM: _, ...withoutExam } = env
  const refused = cli(withoutExam)
  t.equal(refused.status, 2)
  t.match(refused.stderr, /needs NATS_PASSWORD_EXAM/)
  t.equal(refused.stdout, '', 'nothing printed')
  t.notMatch(refused.stderr, 'generated-', 'no password echoed')
  const refs = cli({}, '--env-refs')
  t.equal(refs.status, 0, refs.stderr)
  t.match(refs.stdout, 'password: $NATS_PASSWORD_ADMIN')
  t.equal(cli({}, '--bogus').status, 2)
})
