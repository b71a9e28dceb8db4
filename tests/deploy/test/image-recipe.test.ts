// The image recipe without Docker: build every service's production output with the script the Dockerfile
// runs (infra/image/pnpm-deploy.sh), then start each with plain `node dist/server.js` and production
// settings, as the image does, against the local Postgres and Redis and a private NATS. A dependency
// declared only as a dev dependency, a file pnpm deploy leaves out, or code that needs tsx fails here.
import { randomBytes } from 'node:crypto'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import t from 'tap'
import postgres from 'postgres'
import { connect } from '@nats-io/transport-node'
import { jetstreamManager } from '@nats-io/jetstream'
import { ADMIN_URL, freePort, startPrivateNats, startSmtpServer, testCertificate, testPrefix, waitFor } from '@dreamseed/testing'
import { ROOT, SERVICES, hasSource } from './helper.js'

const services = SERVICES.filter((s) => hasSource(s.name, 'server.ts')).map((s) => s.name)
const out = mkdtempSync(join(tmpdir(), 'dreamseed-deploy-'))
t.teardown(() => { rmSync(out, { recursive: true, force: true }) })

// Built once for every test below; only what the images need from the environment is passed on.
const build = spawnSync('bash', ['infra/image/pnpm-deploy.sh', out, ...services, 'schema', 'events'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
const built = build.status === 0
t.ok(built, 'infra/image/pnpm-deploy.sh builds and deploys every package', { output: `${build.stdout}\n${build.stderr}`.slice(-4000) })

/** The NATS users nats:config renders (packages/events/src/nats-permissions.ts). */
const NATS_USERS = ['auth', 'exam', 'analytics', 'notification', 'subscriber', 'admin']

const DEV_ONLY = ['typescript@', 'tsx@', 'tap@', 'esbuild@', 'turbo@', 'drizzle-kit@', 'eslint@', '@dreamseed+testing@', 'playwright-core@']

/** Runs one of the deployed programs the way its container does: `node <entry>` in its folder, nothing else on PATH but node's. */
function run (folder: string, entry: string, env: Record<string, string>): ReturnType<typeof spawnSync> {
  return spawnSync(process.execPath, [entry], { cwd: join(out, folder), env: { NODE_ENV: 'production', ...env }, encoding: 'utf8', timeout: 60_000 })
}

interface Started { child: ChildProcess, url: string, opsUrl: string, exited: Promise<number | null>, logs: string[] }

/** Starts `node dist/server.js` in a deployed folder on a port the OS picks (and a free ops port); resolves once it listens. */
async function start (name: string, env: Record<string, string>): Promise<Started> {
  const opsPort = await freePort()
  const child = spawn(process.execPath, ['dist/server.js'], { cwd: join(out, name), env: { NODE_ENV: 'production', HOST: '127.0.0.1', PORT: '0', OPS_PORT: String(opsPort), LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  const logs: string[] = []
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = ''
    const timer = setTimeout(() => reject(new Error(`${name} did not listen within 30 s:\n${logs.join('\n')}`)), 30_000)
    const onLine = (line: string): void => {
      logs.push(line)
      // The API's port opens first, then the ops one (its lines say "server":"ops").
      const listening = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(line)
      if (listening !== null && !line.includes('"server":"ops"')) { clearTimeout(timer); resolve(listening[1]!) }
    }
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8')
      const lines = buffered.split('\n')
      buffered = lines.pop() ?? ''
      lines.forEach(onLine)
    })
    child.stderr.on('data', (chunk: Buffer) => { logs.push(chunk.toString('utf8')) })
    void exited.then((code) => { clearTimeout(timer); reject(new Error(`${name} exited with ${code}:\n${logs.join('\n')}`)) })
  })
  t.teardown(async () => { if (child.exitCode === null) { child.kill('SIGKILL'); await exited } })
  return { child, url, opsUrl: `http://127.0.0.1:${opsPort}`, exited, logs }
}

if (built) {
  t.test('the deploy output holds built code and production dependencies only', async (t) => {
    for (const name of [...services, 'schema', 'events']) {
      const folder = join(out, name)
      t.ok(existsSync(join(folder, 'dist')), `${name} has dist/`)
      t.notOk(existsSync(join(folder, 'src')), `${name} carries no src/`)
      t.notOk(existsSync(join(folder, 'test')), `${name} carries no test/`)
      const installed = readdirSync(join(folder, 'node_modules', '.pnpm'))
      t.same(installed.filter((dir) => DEV_ONLY.some((prefix) => dir.startsWith(prefix))), [], `${name} has no development tools`)
    }
    for (const name of services) t.ok(existsSync(join(out, name, 'dist', 'server.js')), `${name} has dist/server.js`)
    t.ok(existsSync(join(out, 'schema', 'drizzle')), 'the migration image carries the migrations')
  })

  t.test('the services start from their deploy output with plain node and production settings', async (t) => {
    const database = `dsdeploy_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`
    const url = new URL(ADMIN_URL)
    url.pathname = `/${database}`
    const databaseUrl = url.toString()
    t.teardown(async () => {
      const sql = postgres(ADMIN_URL, { max: 1, onnotice: () => {} })
      try { await sql.unsafe(`drop database if exists "${database}" with (force)`) } finally { await sql.end() }
    })

    const migrate = run('schema', 'dist/cli/migrate.js', { DATABASE_URL: databaseUrl })
    t.equal(migrate.status, 0, 'the migration Job\'s command succeeds', { stderr: String(migrate.stderr) })
    t.match(String(migrate.stdout), /migrations applied/)

    // NATS as in the cluster: the users and permissions the events image's nats:config prints, the streams
    // applied as the admin, and each service connected as its own user.
    const prefix = testPrefix()
    const passwords = Object.fromEntries(NATS_USERS.map((u) => [u, randomBytes(18).toString('hex')]))
    const natsConfig = run('events', 'dist/cli/nats-config.js', { EVENTS_PREFIX: prefix, ...Object.fromEntries(NATS_USERS.map((u) => [`NATS_PASSWORD_${u.toUpperCase()}`, passwords[u]!])) })
    t.equal(natsConfig.status, 0, 'nats:config renders the authorization block', { stderr: String(natsConfig.stderr) })
    const nats = await startPrivateNats(t, { config: String(natsConfig.stdout) })
    const streams = run('events', 'dist/cli/apply-streams.js', { NATS_URL: nats.url, EVENTS_PREFIX: prefix, STREAM_REPLICAS: '1', NATS_USER: 'admin', NATS_PASSWORD: passwords.admin! })
    t.equal(streams.status, 0, 'the stream Job\'s command succeeds', { stderr: String(streams.stderr) })
    t.match(String(streams.stdout), new RegExp(`stream ${prefix.toUpperCase()}_USERS: created`))

    // Production demands mail over TLS: STARTTLS required, the test's own certificate authority trusted.
    const smtp = await startSmtpServer(t, { tls: testCertificate() })
    const shared = {
      DATABASE_URL: databaseUrl,
      NATS_URL: nats.url,
      EVENTS_PREFIX: prefix,
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      TOKEN_SEAL_KEY: randomBytes(32).toString('base64'),
      DB_POOL_MAX: '2'
    }
    const started = new Map<string, Started>()
    // auth first: the others are given its JWKS address, as in the cluster.
    for (const name of services) {
      const authUrl = started.get('auth')?.url ?? 'http://127.0.0.1:3001'
      const env: Record<string, string> = {
        ...shared,
        AUTH_SIGNING_KEY: randomBytes(32).toString('base64'),
        // Production refuses http:// for the addresses people reach; auth's keys come over loopback.
        PUBLIC_URL: 'https://auth.dreamseed.example',
        AUTH_PUBLIC_URL: 'https://auth.dreamseed.example',
        AUTH_JWKS_URL: `${authUrl}/.well-known/jwks.json`,
        EMAIL_MODE: 'smtp',
        SMTP_URL: `smtp://localhost:${smtp.port}?requireTLS=true&tls.ca=${encodeURIComponent(testCertificate().cert)}`,
        NATS_USER: name,
        NATS_PASSWORD: passwords[name]!
      }
      const service = await start(name, env)
      started.set(name, service)

      const live = await waitFor(async () => await fetch(`${service.opsUrl}/health/live`).catch(() => undefined), { timeoutMs: 20_000, what: `${name}'s ops port` })
      t.equal(live.status, 200, `${name} answers /health/live on its ops port`)
      t.same(await live.json(), { status: 'ok' })
      const ready = await waitFor(async () => {
        const res = await fetch(`${service.opsUrl}/health/ready`)
        return res.status === 200 ? await res.json() as { status: string } : undefined
      }, { timeoutMs: 20_000, what: `${name} ready` })
      t.ok(['ready', 'degraded'].includes(ready.status), `${name} is ready against Postgres, NATS and Redis (${ready.status})`)
      await waitFor(async () => (await (await fetch(`${service.opsUrl}/health/ready`)).json() as { checks: { nats: string } }).checks.nats === 'up', { timeoutMs: 20_000, what: `${name} connected to NATS as its user` })
      const metrics = await (await fetch(`${service.opsUrl}/metrics`)).text()
      t.match(metrics, /http_request_duration_seconds_bucket\{/, `${name} serves Prometheus metrics`)
      for (const path of ['/health/live', '/health/ready', '/metrics', '/docs/json']) {
        const res = await fetch(`${service.url}${path}`)
        await res.arrayBuffer()
        t.equal(res.status, 404, `${name}: ${path} is not on the public port`)
      }
    }

    // Each service created its durable consumers as its own user, without a permission error.
    const { declaredConsumers, streamName, STREAMS } = await import(pathToFileURL(join(ROOT, 'packages/events/src/index.ts')).href) as {
      declaredConsumers: () => Array<{ service: string, durable: string, stream: string }>, streamName: (prefix: string, d: unknown) => string, STREAMS: Array<{ name: string }>
    }
    const admin = await connect({ servers: nats.url, user: 'admin', pass: passwords.admin! })
    t.teardown(async () => { await admin.close() })
    const jsm = await jetstreamManager(admin)
    const expected = declaredConsumers().filter((c) => started.has(c.service))
    t.ok(expected.length >= 1, 'services with consumers started')
    await waitFor(async () => {
      for (const c of expected) await jsm.consumers.info(streamName(prefix, STREAMS.find((s) => s.name === c.stream)), c.durable)
      return true
    }, { timeoutMs: 20_000, what: `the consumers ${expected.map((c) => c.durable).join(', ')}` })
    for (const [name, service] of started) t.notMatch(service.logs.join('\n'), /Permissions Violation/, `${name} ran within its NATS permissions`)

    // A registration's mail leaves notification over STARTTLS, the relay's certificate checked.
    const auth = started.get('auth')
    if (auth !== undefined && started.has('notification')) {
      const email = `deploy-${randomBytes(4).toString('hex')}@example.org`
      const registered = await fetch(`${auth.url}/auth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'correct horse battery', role: 'student', displayName: 'Deploy' }) })
      t.equal(registered.status, 202, 'a registration is taken')
      const [mail] = await waitFor(() => smtp.mailsTo(email).length > 0 && smtp.mailsTo(email), { timeoutMs: 30_000, what: 'the verification mail' })
      t.equal(mail?.secure, true, 'the mail came over TLS')
      t.match(mail?.text, 'https://auth.dreamseed.example/auth/verify?token=', 'its link on the https public address')
    }

    // What Kubernetes does at a rollout: SIGTERM, then the process must finish and exit by itself.
    for (const [name, service] of started) {
      service.child.kill('SIGTERM')
      const code = await Promise.race([service.exited, new Promise((resolve) => setTimeout(() => resolve('timeout'), 25_000))])
      t.equal(code, 0, `${name} exits 0 on SIGTERM within its grace period`, { logs: service.logs.slice(-20).join('\n') })
    }
  })
}
