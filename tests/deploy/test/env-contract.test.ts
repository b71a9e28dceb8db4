// Every variable a service reads at start (the settings its config.ts declares) is provided by its
// Deployment in every overlay, and nothing else is: secrets by secretKeyRef, the rest from ConfigMaps.
// The service's own loader then accepts the ConfigMaps' values in production mode (secrets stubbed).
// The setup Jobs likewise get exactly what their CLIs read.
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { loadConfig } from '@dreamseed/kit'
import { OVERLAYS, ROOT, SERVICES, cliEnv, containerEnv, find, hasSource, loadSettings, render } from './helper.js'

// Stand-ins with the right shape, only so loadConfig can check everything else.
const STUB_SECRETS: Record<string, string> = {
  DATABASE_URL: 'postgresql://dreamseed:x@dreamseed-pg-rw:5432/dreamseed',
  NATS_URL: 'nats://nats:4222',
  NATS_PASSWORD: 'x',
  REDIS_URL: 'redis://:x@dreamseed-redis:6379',
  TOKEN_SEAL_KEY: randomBytes(32).toString('base64'),
  AUTH_SIGNING_KEY: randomBytes(32).toString('base64'),
  // As docs/operations.md's `kubectl create secret` gives it (checked below): production demands TLS.
  SMTP_URL: 'smtps://user:x@smtp.example.com:465'
}

const JOBS: Record<string, string> = {
  'dreamseed-migrate': 'packages/schema/src/cli/migrate.ts',
  'dreamseed-streams': 'packages/events/src/cli/apply-streams.ts'
}

for (const { name } of SERVICES) {
  if (!hasSource(name, 'config.ts')) continue // being written: the manifests test still requires its Deployment
  t.test(`${name}: the Deployment provides exactly the settings config.ts declares`, async (t) => {
    const settings = Object.values(await loadSettings(name))
    for (const overlay of OVERLAYS) {
      const objects = render(overlay)
      const deployment = find(objects, 'Deployment', name)
      if (deployment === undefined) { t.fail(`${overlay}: no Deployment ${name}`); continue }
      const env = containerEnv(objects, deployment.spec.template.spec.containers[0])
      t.same([...env.keys()].sort(), [...new Set(settings.map((s) => s.env))].sort(), `${overlay}: the same variables`)
      for (const s of settings) {
        const provided = env.get(s.env)
        if (provided === undefined) continue
        if (s.secret === true) t.equal(provided.from, 'secret', `${overlay}: ${s.env} comes from a Secret`)
        else t.equal(provided.from, 'configMap', `${overlay}: ${s.env} comes from a ConfigMap`)
        if (s.requiredInProduction === true && provided.from === 'configMap') t.not(provided.value, '', `${overlay}: ${s.env} is set`)
      }
      const values: Record<string, string> = { ...STUB_SECRETS }
      for (const [key, p] of env) if (p.from === 'configMap' && p.value !== undefined) values[key] = p.value
      t.equal(values.NODE_ENV, 'production', `${overlay}: runs in production mode`)
      const spec = Object.fromEntries(settings.map((s, i) => [String(i), s]))
      t.doesNotThrow(() => loadConfig(spec, values), `${overlay}: ${name}'s config loader accepts the values`)
    }
  })
}

t.test('production transport: public addresses over https, auth\'s keys inside the cluster, mail over TLS', async (t) => {
  for (const overlay of OVERLAYS) {
    const objects = render(overlay)
    const env = (service: string) => containerEnv(objects, find(objects, 'Deployment', service)?.spec.template.spec.containers[0])
    t.match(env('auth').get('PUBLIC_URL')?.value, /^https:\/\//, `${overlay}: auth's PUBLIC_URL is https`)
    t.match(env('notification').get('AUTH_PUBLIC_URL')?.value, /^https:\/\//, `${overlay}: notification's AUTH_PUBLIC_URL is https`)
    for (const service of ['exam', 'analytics']) t.match(env(service).get('AUTH_JWKS_URL')?.value, /^http:\/\/auth:\d+\//, `${overlay}: ${service} fetches auth's keys from auth's Service, inside the cluster`)
  }
  // The `kubectl create secret` of docs/operations.md is what operators copy: its SMTP_URL must be one production accepts.
  const operations = readFileSync(join(ROOT, 'docs/operations.md'), 'utf8')
  const smtpUrl = /--from-literal=SMTP_URL='([^']+)'/.exec(operations)?.[1]
  t.match(smtpUrl, /^smtps:\/\/|[?&]requireTLS=true/, `docs/operations.md's SMTP_URL (${smtpUrl}) is TLS`)
  const settings = await loadSettings('notification')
  const production = { ...STUB_SECRETS, NODE_ENV: 'production', NATS_USER: 'notification', EMAIL_MODE: 'smtp', AUTH_PUBLIC_URL: 'https://auth.example', SMTP_URL: smtpUrl! }
  t.doesNotThrow(() => loadConfig(settings, production), 'notification\'s production loader accepts it')
  t.throws(() => loadConfig(settings, { ...production, SMTP_URL: 'smtp://user:x@smtp.example.com:587' }), /SMTP_URL is invalid/, 'and refuses plain SMTP')
})

t.test('the setup Jobs get exactly what their CLIs read', async (t) => {
  for (const overlay of OVERLAYS) {
    const objects = render(overlay)
    for (const [job, source] of Object.entries(JOBS)) {
      const container = find(objects, 'Job', job)?.spec.template.spec.containers[0]
      const env = containerEnv(objects, container)
      t.same([...env.keys()].sort(), cliEnv(source), `${overlay}: ${job} provides ${cliEnv(source).join(', ')}`)
      for (const secret of ['DATABASE_URL', 'NATS_URL', 'NATS_PASSWORD']) if (env.has(secret)) t.equal(env.get(secret)?.from, 'secret', `${overlay}: ${job}'s ${secret} from a Secret`)
    }
    const common = find(objects, 'Deployment', 'auth')?.spec.template.spec.containers[0]
    t.equal(containerEnv(objects, find(objects, 'Job', 'dreamseed-streams')?.spec.template.spec.containers[0]).get('EVENTS_PREFIX')?.value,
      containerEnv(objects, common).get('EVENTS_PREFIX')?.value, `${overlay}: streams are created under the services' EVENTS_PREFIX`)
  }
})

/** Each service's own secrets: one value per service, never shared. */
const PER_SERVICE = new Set(['NATS_PASSWORD'])

t.test('services that share a secret read it from the same place', async (t) => {
  for (const overlay of OVERLAYS) {
    const objects = render(overlay)
    const refs = new Map<string, Set<string>>()
    for (const { name } of SERVICES) {
      const c = find(objects, 'Deployment', name)?.spec.template.spec.containers[0]
      for (const [key, p] of containerEnv(objects, c)) {
        if (p.from !== 'secret' || p.ref === undefined || PER_SERVICE.has(key)) continue
        refs.set(key, (refs.get(key) ?? new Set()).add(`${p.ref.name}/${p.ref.key}`))
      }
    }
    for (const [key, places] of refs) t.equal(places.size, 1, `${overlay}: ${key} from ${[...places].join(', ')}`)
  }
})

t.test('each service connects to NATS as its own user, the streams Job as the admin', async (t) => {
  for (const overlay of OVERLAYS) {
    const objects = render(overlay)
    const clients = [...SERVICES.map(({ name }) => ({ user: name, container: find(objects, 'Deployment', name)?.spec.template.spec.containers[0] })),
      { user: 'admin', container: find(objects, 'Job', 'dreamseed-streams')?.spec.template.spec.containers[0] }]
    for (const { user, container } of clients) {
      const env = containerEnv(objects, container)
      t.equal(env.get('NATS_USER')?.value, user, `${overlay}: ${container?.name} is NATS user ${user}`)
      t.same(env.get('NATS_PASSWORD')?.ref, { name: 'dreamseed-nats', key: user }, `${overlay}: its password is dreamseed-nats/${user}`)
    }
  }
})
