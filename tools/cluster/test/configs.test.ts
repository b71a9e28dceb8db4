import t from 'tap'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ensureHaproxy, haproxyConfig, natsNodeConfig } from '../src/index.js'

const services = [
  { name: 'auth', port: 3001, replicas: [{ name: 'auth-1', port: 3101, opsPort: 9101 }, { name: 'auth-2', port: 3102, opsPort: 9102 }] },
  { name: 'exam', port: 3002, replicas: [{ name: 'exam-1', port: 3201, opsPort: 9201 }, { name: 'exam-2', port: 3202, opsPort: 9202 }, { name: 'exam-3', port: 3203, opsPort: 9203 }] }
]

t.test('the proxy balances every request round robin over every replica, with no stickiness, checked by readiness on its ops port', async (t) => {
  const config = haproxyConfig({ services })
  const exam = config.slice(config.indexOf('backend exam'))
  t.match(exam, /balance roundrobin/)
  t.match(exam, /option httpchk GET \/health\/ready/)
  t.same(exam.match(/^ {2}server .*$/gm), [
    '  server exam-1 127.0.0.1:3201 check port 9201',
    '  server exam-2 127.0.0.1:3202 check port 9202',
    '  server exam-3 127.0.0.1:3203 check port 9203'
  ])
  t.match(exam, /http-response set-header x-dreamseed-replica %\[srv_name\]/, 'each answer names its replica')
  t.notMatch(config, /\b(cookie|stick|prefer-last-server|balance source|hash-type)\b/, 'nothing pins a client to a replica')
  t.match(config, /frontend auth\n {2}bind 127\.0\.0\.1:3001/)

  // Debian's haproxy itself accepts it.
  const dir = mkdtempSync(join(tmpdir(), 'ds-haproxy-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  writeFileSync(join(dir, 'haproxy.cfg'), config)
  t.doesNotThrow(() => execFileSync(ensureHaproxy(), ['-c', '-q', '-f', join(dir, 'haproxy.cfg')], { stdio: 'pipe' }), 'haproxy -c accepts the configuration')
})

t.test('each NATS node routes to the two others and offers the configured store', async (t) => {
  const ports = [{ client: 4231, route: 6231 }, { client: 4232, route: 6232 }, { client: 4233, route: 6233 }]
  const second = natsNodeConfig({ dir: '/var/tmp/ds', ports, maxFileStore: '5GB', authorization: 'authorization { users = [] }' }, 1)
  t.match(second, /server_name: "dreamseed-nats-2"/)
  t.match(second, /listen: "127\.0\.0\.1:4232"/)
  t.match(second, /routes: \["nats-route:\/\/127\.0\.0\.1:6231", "nats-route:\/\/127\.0\.0\.1:6233"\]/)
  t.match(second, /max_file_store: 5GB/)
  t.match(second, /store_dir: "\/var\/tmp\/ds\/node-2"/)
  t.match(second, /authorization \{ users = \[\] \}/)
})
