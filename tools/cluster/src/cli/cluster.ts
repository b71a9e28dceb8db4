// `pnpm cluster`: the platform as it runs in production, on this machine, until Ctrl-C. A 3-node NATS cluster
// (loopback ports 4231-4233, streams with 3 replicas, a NATS user per service), 2 replicas of auth, analytics and notification and 3 of
// exam, HAProxy in front of each on the usual ports (auth 3001, exam 3002, analytics 3003, notification 3004;
// the replicas on 3101-3102, 3201-3203, 3301-3302 and 3401-3402, their ops ports 6000 higher: 9101-9102, ...),
// the machine's Postgres (database dreamseed_cluster) and Redis. `pnpm seed` works against the proxies.
// Settings: CLUSTER_DIR (.cluster), CLUSTER_DATABASE_URL, EVENTS_PREFIX, and any service setting (passed on).
import { randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { NATS_USERS, natsPasswordVariable, type NatsUser } from '@dreamseed/events'
import { DEFAULT_REPLICAS, SERVICES, startCluster, type ClusterPorts } from '../index.js'

const root = join(import.meta.dirname, '..', '..', '..', '..')
const dir = process.env.CLUSTER_DIR ?? join(root, '.cluster')
const databaseUrl = process.env.CLUSTER_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/dreamseed_cluster'
const prefix = process.env.EVENTS_PREFIX ?? 'dreamseed'

const proxies = { auth: 3001, exam: 3002, analytics: 3003, notification: 3004 }
const replicaPorts = (first: number) => Object.fromEntries(SERVICES.map((s) => [s, Array.from({ length: DEFAULT_REPLICAS[s] }, (_, i) => first + 100 * SERVICES.indexOf(s) + i)])) as ClusterPorts['replicas']
const ports: ClusterPorts = {
  proxies,
  replicas: replicaPorts(3101),
  // As each service's own OPS_PORT default is its port + 6000 (9001-9004).
  ops: replicaPorts(9101),
  nats: [0, 1, 2].map((i) => ({ client: 4231 + i, route: 6231 + i }))
}

// One NATS user per service, a read-only subscriber and an admin: passwords from NATS_PASSWORD_<USER> or new ones,
// written to .cluster/nats.env (readable by you alone) for subscribers and `pnpm dead-letters`.
const natsPasswords = Object.fromEntries(NATS_USERS.map((u) => [u, process.env[natsPasswordVariable(u)] ?? randomBytes(18).toString('base64url')])) as Record<NatsUser, string>
mkdirSync(dir, { recursive: true })
const natsEnv = join(dir, 'nats.env')
writeFileSync(natsEnv, NATS_USERS.map((u) => `${natsPasswordVariable(u)}=${natsPasswords[u]}`).join('\n') + '\n', { mode: 0o600 })

// Settings given to this command reach every replica (LOG_LEVEL, EMAIL_MODE, SMTP_URL, ...), except the ones
// the topology sets itself.
const passOn = Object.fromEntries(Object.entries(process.env).filter(([k, v]) => v !== undefined && /^[A-Z][A-Z0-9_]*$/.test(k) &&
  !['PATH', 'HOME', 'PWD', 'SHLVL', 'OLDPWD', '_', 'PORT', 'OPS_PORT', 'HOST', 'NATS_URL', 'NATS_USER', 'NATS_PASSWORD', 'DATABASE_URL', 'EVENTS_PREFIX'].includes(k) &&
  !k.startsWith('NATS_PASSWORD_') && !k.startsWith('npm_') && !k.startsWith('PNPM_'))) as Record<string, string>

console.log(`› starting the cluster in ${dir} (database ${new URL(databaseUrl).pathname.slice(1)}, events prefix ${prefix})`)
// Each node offers what a NATS pod's volume holds in k8s/nats (5 GiB); the streams take STREAMS_MAX_BYTES of it.
const cluster = await startCluster({ dir, databaseUrl, prefix, ports, env: passOn, natsPasswords, natsMaxFileStore: '5GB', output: (line) => { process.stdout.write(`${line}\n`) } })
  .catch((err: Error) => { console.error(`cluster: ${err.message}`); process.exit(1) })
const lines = [
  '',
  'DreamSeed cluster ready. Clients use the proxies (each answer names its replica in x-dreamseed-replica):',
  ...SERVICES.map((s) => `  ${s.padEnd(13)} ${cluster.urls[s]}   replicas ${cluster.replicas[s].map((r) => `${r.name} :${r.port} (ops :${r.opsPort})`).join(', ')}`),
  `  NATS cluster  ${cluster.nats.url}   users auth, exam, analytics, notification, subscriber (read-only), admin;`,
  `                passwords in ${natsEnv} (e.g. NATS_USER=subscriber NATS_PASSWORD=$NATS_PASSWORD_SUBSCRIBER)`,
  '',
  `Seed a demo school: AUTH_URL=${cluster.urls.auth} EXAM_URL=${cluster.urls.exam} DATABASE_URL=${databaseUrl} pnpm seed`,
  'Ctrl-C stops everything.',
  ''
]
console.log(lines.join('\n'))

let stopping = false
const stop = async (): Promise<void> => {
  if (stopping) return
  stopping = true
  console.log('› stopping the cluster')
  await cluster.stop()
  process.exit(0)
}
process.on('SIGINT', () => { void stop() })
process.on('SIGTERM', () => { void stop() })
